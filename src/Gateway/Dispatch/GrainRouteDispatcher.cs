using Cluster.Grains.Routing;
using Cluster.Grains.Caching;
using Cluster.Routing.Wire;
using Cluster.Runtime;

namespace Cluster.Gateway.Dispatch;

/// <summary>
/// Dispatches through the actor runtime: one route grain per pattern, wherever the runtime places it — or, for a
/// stateless-worker route, the pool of workers the runtime keeps on every silo.
/// </summary>
internal sealed class GrainRouteDispatcher(IGrainFactory grains, StatelessWorkerRoutes workers) : IRouteDispatcher
{
    public ValueTask<RouteReply> DispatchAsync(RouteInvocation invocation, CancellationToken cancellationToken) =>
        grains.GetRouteGrain(invocation.Pattern, workers.Contains(invocation.Pattern)).InvokeAsync(invocation, cancellationToken);
}
