using Cluster.Routing;

namespace EdgeApp;

/// <summary>Force-static: cached until revalidated; answers what it saw of the request, which must be nothing.</summary>
public static class CacheStaticRoute
{
    public static RouteConfig Config { get; } = new() { Dynamic = DynamicMode.ForceStatic };

    public static RouteResponse GET(RouteRequest request, RouteContext context)
    {
        var key = context.Params["key"];
        return RouteResponse.Json(new
        {
            key,
            render = CacheProbes.Render("static/" + key),
            url = request.Url.ToString(),
            headers = request.Headers.Count,
            probe = request.Headers["x-probe"],
            cookies = request.Cookies.Count,
            query = request.Query.Count,
        });
    }
}
