using Cluster.Routing;

namespace ShopApp.Api;

/// <summary>GET /api/legacy — moved: a permanent redirect to the catalogue.</summary>
public static class LegacyRoute
{
    public static RouteResponse GET() => RouteResponse.Redirect("/api/products", 308);
}
