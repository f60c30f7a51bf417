using Cluster.Routing;

namespace ShopApp.Api;

/// <summary>GET /api/docs/a/b/c — documentation pages under a catch-all; the params echo Next.js's shape.</summary>
public static class DocsRoute
{
    private static readonly Dictionary<string, string> s_pages = new(StringComparer.Ordinal)
    {
        ["getting-started"] = "Run `dotnet run --project src/Gateway` and open http://localhost:5000/.",
        ["api/products"] = "GET /api/products lists the catalogue; GET /api/products/{id} reads one product.",
        ["api/cart"] = "GET, POST, PUT and DELETE /api/cart manage the cart named by the `cart` cookie.",
    };

    public static RouteResponse GET(RouteRequest request, RouteContext context)
    {
        var slug = context.Params.GetAll("slug");
        var key = string.Join('/', slug);
        return s_pages.TryGetValue(key, out var text)
            ? RouteResponse.Json(new { slug, text })
            : RouteResponse.NotFound();
    }
}
