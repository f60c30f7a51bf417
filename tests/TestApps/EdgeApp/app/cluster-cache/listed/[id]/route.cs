using Cluster.Routing;

namespace EdgeApp;

/// <summary>
/// Three params rendered before the cluster turns ready, and 404 for any other (<c>DynamicParams = false</c>).
/// Its render count (key <c>listed/{id}</c>) is shared by every test cluster in the process.
/// </summary>
public static class ClusterCacheListedRoute
{
    public static RouteConfig Config { get; } = new() { DynamicParams = false };

    public static IEnumerable<RouteParams> GenerateStaticParams() =>
        [RouteParams.Of(("id", "alpha")), RouteParams.Of(("id", "beta")), RouteParams.Of(("id", "gamma"))];

    public static async Task<RouteResponse> GET(RouteRequest request, RouteContext context)
    {
        var id = context.Params["id"];
        var render = await ClusterCacheProbes.RenderAsync("listed/" + id);
        return RouteResponse.Json(new { id, render });
    }
}
