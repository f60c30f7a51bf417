using Cluster.Routing;

namespace EdgeApp;

/// <summary>Dynamic = Error: reading a request header in a static render fails the request (500).</summary>
public static class CacheErrorRoute
{
    public static RouteConfig Config { get; } = new() { Dynamic = DynamicMode.Error };

    public static RouteResponse GET(RouteRequest request) =>
        RouteResponse.Json(new { render = CacheProbes.Render("error"), probe = request.Headers["x-probe"] });
}
