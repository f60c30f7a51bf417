using Cluster.Routing;

namespace EdgeApp;

/// <summary>A dynamic route (no cache config); <c>?cc=value</c> makes it set that Cache-Control itself.</summary>
public static class CacheDynamicRoute
{
    public static RouteResponse GET(RouteRequest request)
    {
        var response = RouteResponse.Json(new { render = CacheProbes.Render("dynamic") });
        return request.Query.TryGetValue("cc", out var values) && values.Length > 0 ? response.WithHeader("cache-control", values[0]) : response;
    }
}
