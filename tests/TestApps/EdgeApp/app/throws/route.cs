using Cluster.Routing;

namespace EdgeApp;

public static class ThrowsRoute
{
    public static RouteResponse GET() => throw new InvalidOperationException("secret detail that must not reach the client");
}
