using Cluster.Routing;

namespace EdgeApp;

public static class ParamsRoute
{
    public static RouteResponse GET(RouteRequest request, RouteContext context) => RouteResponse.Json(context.Params);
}
