using Cluster.Routing;

namespace EdgeApp;

public static class BadHeaderRoute
{
    public static RouteResponse GET() => RouteResponse.Text("x").WithHeader("x-bad", "naïve ✓");
}
