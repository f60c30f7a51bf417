using Cluster.Grains.Caching;
using Cluster.Routing.Hosting;
using Cluster.Runtime;
using Cluster.Runtime.Messaging;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Routing;

/// <summary>
/// The route grain of a route that runs as a stateless-worker pool (<see cref="StatelessWorkerRoutes"/>): the same
/// code as <see cref="RouteGrain"/>, under its own grain type so the runtime places it with no owner — every silo
/// keeps its own workers and the gateway spreads the route's requests over the silos. Reentrant like every route grain,
/// so one worker serves concurrent requests and the pool grows only while all its workers are busy. It never caches:
/// a route is cached only by its one owner.
/// </summary>
[StatelessWorker]
internal sealed class RouteWorkerGrain : RouteGrain
{
    /// <summary>The grain type name of stateless-worker route grains.</summary>
    public new const string GrainTypeName = "route-worker";

    public RouteWorkerGrain(
        IRouteCatalog catalog,
        IRouteRevalidator revalidator,
        StatelessWorkerRoutes workers,
        IServiceProvider services,
        ILogger<RouteGrain> logger,
        IRouteCacheStore store,
        RouteCacheClock clock,
        RouteCacheMetrics metrics,
        IClusterBroadcast broadcast,
        IGrainFactory grainFactory)
        : base(catalog, revalidator, workers, services, logger, store, clock, metrics, broadcast, grainFactory)
    {
    }
}
