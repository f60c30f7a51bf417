using Cluster.Routing;
using ShopApp.Lib;

namespace ShopApp.Api.Admin;

/// <summary>GET /api/admin/stats — behind the middleware's auth gate.</summary>
public static class StatsRoute
{
    public static RouteResponse GET() =>
        RouteResponse.Json(new { products = Catalog.List(category: null).Count() });
}
