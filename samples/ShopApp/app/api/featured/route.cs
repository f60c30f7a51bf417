using Cluster.Routing;
using ShopApp.Lib;

namespace ShopApp.Api;

/// <summary>
/// GET /api/featured — the products on the front page. Cached (incremental static regeneration): one owner in the
/// cluster renders it, every gateway serves the copy for a minute, then the next request regenerates it in the
/// background. POST /api/admin/revalidate drops it everywhere at once.
/// </summary>
public static class FeaturedRoute
{
    public static RouteConfig Config { get; } = new() { Revalidate = 60, Tags = ["products"] };

    public static RouteResponse GET() => RouteResponse.Json(Catalog.Featured());
}
