namespace Cluster.Grains.Caching;

/// <summary>The answer to a <see cref="RouteCacheInvalidation"/>: how many entries the owner dropped.</summary>
public sealed class RouteCacheInvalidationResult
{
    /// <summary>The entries dropped (0 when the owner held none).</summary>
    public int Dropped { get; init; }
}
