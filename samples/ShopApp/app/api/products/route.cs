using Cluster.Routing;
using ShopApp.Lib;

namespace ShopApp.Api;

/// <summary>GET /api/products[?category=kitchen] — the catalogue.</summary>
public static class ProductsRoute
{
    public static RouteResponse GET(RouteRequest request)
    {
        var category = request.Query.TryGetValue("category", out var values) ? values[0] : null;
        return RouteResponse.Json(Catalog.List(category));
    }
}
