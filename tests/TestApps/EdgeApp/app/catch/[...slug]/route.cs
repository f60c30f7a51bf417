using Cluster.Routing;

namespace EdgeApp;

public static class CatchRoute
{
    public static RouteResponse GET(RouteRequest request, RouteContext context) => RouteResponse.Json(context.Params);
}
