using Cluster.Routing;

namespace ShopApp.Api.Deals;

/// <summary>GET /api/deals for visitors in variant A (the middleware rewrites to here).</summary>
public static class DealsARoute
{
    public static RouteResponse GET() => RouteResponse.Json(new { variant = "a", deal = "10% off kitchen" });
}
