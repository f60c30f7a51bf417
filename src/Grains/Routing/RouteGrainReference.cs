using Cluster.Grains.Caching;
using Cluster.Routing.Wire;
using Cluster.Runtime;
using Cluster.Runtime.Identity;

namespace Cluster.Grains.Routing;

/// <summary>A typed reference to the route grain of one pattern, for the gateway's dispatcher. Allocation-free to create.</summary>
public readonly struct RouteGrainReference
{
    private readonly GrainReference _grain;

    /// <summary>Wraps a reference to a grain of <see cref="GrainType"/> or <see cref="WorkerGrainType"/>.</summary>
    public RouteGrainReference(GrainReference grain)
    {
        if (grain.GrainId.Type != GrainType && grain.GrainId.Type != WorkerGrainType)
        {
            throw new ArgumentException($"The grain {grain.GrainId} is not a route grain.", nameof(grain));
        }

        _grain = grain;
    }

    /// <summary>The grain type of route grains: <c>route</c>.</summary>
    public static GrainType GrainType { get; } = new(RouteGrain.GrainTypeName);

    /// <summary>
    /// The grain type of the route grains of stateless-worker routes (<see cref="StatelessWorkerRoutes"/>):
    /// <c>route-worker</c>, a pool of activations on every silo.
    /// </summary>
    public static GrainType WorkerGrainType { get; } = new(RouteWorkerGrain.GrainTypeName);

    /// <summary>Whether the reference is to a stateless-worker route grain.</summary>
    public bool IsStatelessWorker => _grain.GrainId.Type == WorkerGrainType;

    /// <summary>The route pattern the grain owns.</summary>
    public string Pattern => _grain.GrainId.Key;

    /// <summary>The underlying grain reference.</summary>
    public GrainReference Grain => _grain;

    /// <summary>
    /// Runs the route's handler for <paramref name="invocation"/> (or answers from the route's cache). App failures come back as responses (500, or 405
    /// for a method the route lacks); exceptions mean the runtime could not deliver the call.
    /// </summary>
    /// <exception cref="SiloUnavailableException">The silo is shutting down; the request did not start and may be retried elsewhere.</exception>
    public ValueTask<RouteReply> InvokeAsync(RouteInvocation invocation, CancellationToken cancellationToken = default)
        => _grain.InvokeAsync<RouteInvocation, RouteReply>(invocation, cancellationToken);
}
