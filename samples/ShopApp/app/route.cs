using Cluster.Routing;

namespace ShopApp;

/// <summary>GET / — what this API is.</summary>
public static class HomeRoute
{
    public static RouteResponse GET() => RouteResponse.Json(new { name = "shop", docs = "/api/docs" });
}
