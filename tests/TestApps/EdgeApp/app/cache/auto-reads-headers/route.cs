using Cluster.Routing;

namespace EdgeApp;

/// <summary>Opted into caching by Revalidate, but reads a request header: Next.js falls back to rendering it dynamically.</summary>
public static class CacheAutoReadsHeadersRoute
{
    public static RouteConfig Config { get; } = new() { Revalidate = 10 };

    public static RouteResponse GET(RouteRequest request) =>
        RouteResponse.Json(new { render = CacheProbes.Render("auto-reads-headers"), probe = request.Headers["x-probe"] });
}
