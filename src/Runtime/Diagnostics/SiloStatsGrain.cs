using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// The system grain that answers <see cref="SiloStatsRequest"/> with this silo's <see cref="SiloStats"/>, registered on
/// every silo by <c>AddClusterRuntime</c>. A stateless worker, because stateless workers have no owner: the silo that
/// receives the call runs it (<see cref="Messaging.SiloInboundCallHandler"/> skips the ownership check for them), so a
/// caller reaches one exact silo by sending to its address. One reentrant worker per silo is enough (the answer is a
/// synchronous read), so the pool never grows past one activation.
/// </summary>
/// <remarks>
/// Its activation counts like any other (<c>cluster.grain.activations{grain.type="cluster.silo-stats"}</c> and
/// <see cref="SiloStats.Activations"/>): one per silo while somebody asks, collected when idle. Hiding it would make
/// the two disagree with the catalog; an operator reads it as "a dashboard is watching".
/// </remarks>
[StatelessWorker(maxLocalWorkers: 1)]
[Reentrant]
internal sealed class SiloStatsGrain : Grain, IGrainHandler<SiloStatsRequest, SiloStats>
{
    /// <summary>The grain message's wire name; a new shape gets a new name.</summary>
    public const string MessageName = "cluster.silo-stats.v1";

    private readonly SiloStatsProvider _provider;

    public SiloStatsGrain(SiloStatsProvider provider) => _provider = provider;

    /// <summary>The system grain type.</summary>
    public static GrainType GrainType { get; } = new("cluster.silo-stats");

    /// <summary>The one grain id callers address (each silo runs it in its own pool).</summary>
    public static GrainId Id { get; } = new(GrainType, "silo");

    /// <inheritdoc />
    public ValueTask<SiloStats> HandleAsync(SiloStatsRequest request, CancellationToken cancellationToken)
        => new(_provider.Capture());
}
