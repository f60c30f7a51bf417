using Cluster.Routing;

namespace EdgeApp;

/// <summary>ISR: stale 10 s (route cache clock) after a render; counts its renders per key.</summary>
public static class CacheIsrRoute
{
    public static RouteConfig Config { get; } = new() { Revalidate = 10 };

    public static RouteResponse GET(RouteRequest request, RouteContext context)
    {
        var key = context.Params["key"];
        return RouteResponse.Json(new { key, render = CacheProbes.Render("isr/" + key) });
    }
}
