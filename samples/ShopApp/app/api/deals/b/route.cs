using Cluster.Routing;

namespace ShopApp.Api.Deals;

/// <summary>GET /api/deals for visitors in variant B (the middleware rewrites to here).</summary>
public static class DealsBRoute
{
    public static RouteResponse GET() => RouteResponse.Json(new { variant = "b", deal = "free tote over 50" });
}
