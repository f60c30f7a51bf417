using Cluster.Routing;

namespace ShopApp.Shop;

/// <summary>GET /shop and /shop/any/depth — an optional catch-all: <c>/shop</c> has no <c>slug</c> param at all.</summary>
public static class ShopRoute
{
    public static RouteResponse GET(RouteRequest request, RouteContext context) =>
        RouteResponse.Json(new { section = context.Params.ContainsKey("slug") ? "category" : "home", @params = context.Params });
}
