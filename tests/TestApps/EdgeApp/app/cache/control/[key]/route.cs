using Cluster.Routing;

namespace EdgeApp;

/// <summary>ISR route that sets its own Cache-Control, which the cache keeps instead of computing one.</summary>
public static class CacheControlRoute
{
    public static RouteConfig Config { get; } = new() { Revalidate = 10 };

    public static RouteResponse GET(RouteRequest request, RouteContext context)
    {
        var key = context.Params["key"];
        return RouteResponse.Json(new { key, render = CacheProbes.Render("control/" + key) }).WithHeader("Cache-Control", "public, max-age=5");
    }
}
