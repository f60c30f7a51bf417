using Cluster.Routing;

namespace EdgeApp;

/// <summary>Lists ids 1 and 2 and refuses every other (DynamicParams = false): the gateway answers 404 for them itself.</summary>
public static class CacheListedRoute
{
    public static RouteConfig Config { get; } = new() { DynamicParams = false };

    public static IEnumerable<RouteParams> GenerateStaticParams() => [RouteParams.Of(("id", "1")), RouteParams.Of(("id", "2"))];

    public static RouteResponse GET(RouteRequest request, RouteContext context)
    {
        var id = context.Params["id"];
        return RouteResponse.Json(new { id, render = CacheProbes.Render("listed/" + id) });
    }
}
