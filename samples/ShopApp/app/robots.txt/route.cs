using Cluster.Routing;

namespace ShopApp;

/// <summary>GET /robots.txt — a metadata route is an ordinary route handler.</summary>
public static class RobotsRoute
{
    public static RouteResponse GET() =>
        RouteResponse.Text("User-agent: *\nAllow: /\nDisallow: /api/cart\nSitemap: /sitemap.xml\n");
}
