using Cluster.Routing;

namespace EdgeApp;

/// <summary>
/// ISR (stale 60 s after a render, on the route cache's clock) for the cluster-cache tests, which count, hold and fail its
/// renders through <see cref="ClusterCacheProbes"/> (key <c>isr/{key}</c>). Reads nothing of the request, so it stays cached.
/// </summary>
public static class ClusterCacheIsrRoute
{
    public static RouteConfig Config { get; } = new() { Revalidate = 60 };

    public static async Task<RouteResponse> GET(RouteRequest request, RouteContext context)
    {
        var key = context.Params["key"];
        var render = await ClusterCacheProbes.RenderAsync("isr/" + key);
        return RouteResponse.Json(new { key, render });
    }
}
