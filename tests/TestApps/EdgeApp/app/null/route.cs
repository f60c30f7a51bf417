using Cluster.Routing;

namespace EdgeApp;

public static class NullRoute
{
    public static RouteResponse GET() => null!;
}
