using Cluster.Grains.Caching;
using Cluster.Routing.Wire;

namespace Cluster.Gateway.Dispatch;

/// <summary>
/// Sends a routed request to the route grain that owns its pattern. The seam between routing and the runtime: the
/// cluster runtime decides where the grain runs (this process or another silo), not the router.
/// </summary>
internal interface IRouteDispatcher
{
    /// <summary>Runs the request on its route grain and returns the grain's response.</summary>
    ValueTask<RouteReply> DispatchAsync(RouteInvocation invocation, CancellationToken cancellationToken);
}
