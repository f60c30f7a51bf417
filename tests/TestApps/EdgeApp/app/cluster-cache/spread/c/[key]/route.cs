using Cluster.Routing;

namespace EdgeApp;

/// <summary>
/// One of six tagged cached routes (spread/a … spread/f) that land on different silos: ISR (stale after an hour, so only revalidation renders it again). Its POST revalidates
/// the shared tag from whichever silo owns this route. Renders are counted under <c>spread/c/{key}</c>.
/// </summary>
public static class ClusterCacheSpreadCRoute
{
    public const string Tag = "cluster-cache-spread";

    public static RouteConfig Config { get; } = new() { Revalidate = 3600, Tags = [Tag] };

    public static async Task<RouteResponse> GET(RouteRequest request, RouteContext context)
    {
        var key = context.Params["key"];
        var render = await ClusterCacheProbes.RenderAsync("spread/c/" + key);
        return RouteResponse.Json(new { key, render });
    }

    public static async Task<RouteResponse> POST(RouteRequest request, RouteContext context)
    {
        await context.RevalidateTagAsync(Tag);
        return RouteResponse.Json(new { revalidated = Tag });
    }
}
