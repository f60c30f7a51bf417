using Cluster.Routing;

namespace EdgeApp;

public static class NotFoundRoute
{
    public static RouteResponse GET() => RouteResponse.NotFound();
}
