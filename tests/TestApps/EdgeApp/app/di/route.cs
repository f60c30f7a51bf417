using Cluster.Routing;

namespace EdgeApp;

/// <summary>A non-static route: the silo's container provides its constructor's services.</summary>
public sealed class DiRoute(TimeProvider time)
{
    public RouteResponse GET() => RouteResponse.Json(new { hasClock = time is not null });
}
