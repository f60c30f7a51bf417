using Cluster.Routing;

namespace ShopApp.Marketing;

/// <summary>GET /about — inside the (marketing) route group, which is not part of the URL.</summary>
public static class AboutRoute
{
    public static RouteResponse GET() =>
        RouteResponse.Text("A sample shop served by route grains.\n");
}
