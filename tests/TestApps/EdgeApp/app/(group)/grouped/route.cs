using Cluster.Routing;

namespace EdgeApp;

public static class GroupedRoute
{
    public static RouteResponse GET() => RouteResponse.Text("grouped");
}
