using Cluster.Routing;

namespace EdgeApp;

public static class CafeRoute
{
    public static RouteResponse GET() => RouteResponse.Text("café");
}
