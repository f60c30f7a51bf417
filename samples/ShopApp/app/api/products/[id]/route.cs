using System.Globalization;
using Cluster.Routing;
using ShopApp.Lib;

namespace ShopApp.Api;

/// <summary>GET /api/products/[id] — one product, or 404.</summary>
public static class ProductRoute
{
    public static RouteResponse GET(RouteRequest request, RouteContext context)
    {
        if (!int.TryParse(context.Params["id"], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return RouteResponse.Json(new { error = "id must be a number" }, 400);
        }

        return Catalog.Find(id) is { } product ? RouteResponse.Json(product) : RouteResponse.NotFound();
    }
}
