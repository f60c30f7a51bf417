using Cluster.Routing;

namespace EdgeApp;

/// <summary>A force-static GET beside a POST: the POST is never cached (and sees the request as sent).</summary>
public static class CachePostRoute
{
    public static RouteConfig Config { get; } = new() { Dynamic = DynamicMode.ForceStatic };

    public static RouteResponse GET() => RouteResponse.Json(new { method = "GET", render = CacheProbes.Render("post/GET") });

    public static async Task<RouteResponse> POST(RouteRequest request) =>
        RouteResponse.Json(new { method = "POST", render = CacheProbes.Render("post/POST"), body = await request.ReadTextAsync() });
}
