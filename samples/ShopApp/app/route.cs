using Cluster.Routing;

namespace ShopApp;

/// <summary>GET / — what this API offers.</summary>
public static class HomeRoute
{
    public static RouteResponse GET() => RouteResponse.Json(new
    {
        name = "shop",
        routes = new[] { "/api/products", "/api/products/[id]", "/api/cart", "/api/cart/items/[id]", "/api/docs/[...slug]", "/shop/[[...slug]]", "/about", "/robots.txt", "/sitemap.xml" },
    });
}
