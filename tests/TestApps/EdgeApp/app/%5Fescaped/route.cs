using Cluster.Routing;

namespace EdgeApp;

public static class EscapedRoute
{
    public static RouteResponse GET() => RouteResponse.Text("escaped");
}
