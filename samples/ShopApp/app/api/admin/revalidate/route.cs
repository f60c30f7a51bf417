using Cluster.Routing;

namespace ShopApp.Api.Admin;

/// <summary>
/// POST /api/admin/revalidate — after the catalogue changed: every cached response tagged <c>products</c> is dropped on
/// its owner and on every gateway before this answers, so the next request anywhere renders afresh. Behind the
/// middleware's auth gate.
/// </summary>
public static class RevalidateRoute
{
    public static async Task<RouteResponse> POST(RouteRequest request, RouteContext context)
    {
        await context.RevalidateTagAsync("products");
        return RouteResponse.Json(new { revalidated = "products" });
    }
}
