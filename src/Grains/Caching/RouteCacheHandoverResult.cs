namespace Cluster.Grains.Caching;

/// <summary>The answer to a <see cref="RouteCacheHandover"/>: how many of its entries the new owner installed.</summary>
internal sealed class RouteCacheHandoverResult
{
    /// <summary>The entries installed (the others were older than the receiver's own, or their path was invalidated).</summary>
    public int Installed { get; init; }
}
