using Cluster.Routing;

namespace EdgeApp;

public static class HiddenRoute
{
    public static RouteResponse GET() => RouteResponse.Text("must never be served");
}
