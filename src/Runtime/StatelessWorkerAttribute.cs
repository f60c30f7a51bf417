namespace Cluster.Runtime;

/// <summary>
/// Marks a grain class that owns no state worth keeping in one place: instead of one activation in the cluster, every
/// silo keeps its own pool of up to <see cref="MaxLocalWorkers"/> activations (workers) per grain id, and callers run
/// it on their own silo (or, from a process without a silo, on any Active silo). A new worker is created only when
/// every worker of the pool is busy; idle workers are collected like any activation. Each worker follows the class's
/// reentrancy (<see cref="ReentrantAttribute"/>): a non-reentrant worker runs one request at a time.
/// </summary>
/// <remarks>
/// A process that calls such grains but hosts none of their classes (a gateway without a silo) learns the placement
/// from <c>services.AddStatelessWorkerPlacement(grainType)</c>; a silo reads this attribute from the registered class.
/// </remarks>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class StatelessWorkerAttribute : Attribute
{
    /// <summary>Marks the class as a stateless worker.</summary>
    /// <param name="maxLocalWorkers">The most workers per grain id on one silo; 0 means <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLocalWorkers"/> is negative.</exception>
    public StatelessWorkerAttribute(int maxLocalWorkers = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxLocalWorkers);
        MaxLocalWorkers = maxLocalWorkers;
    }

    /// <summary>The most workers per grain id on one silo.</summary>
    /// <value>0 (the default) means <see cref="Environment.ProcessorCount"/>.</value>
    public int MaxLocalWorkers { get; }
}
