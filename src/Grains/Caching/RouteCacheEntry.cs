using Cluster.Routing;

namespace Cluster.Grains.Caching;

/// <summary>
/// One cached GET response of a route, keyed by its path (no query). Immutable: a regeneration or a failed
/// regeneration's retry window replaces the entry.
/// </summary>
internal sealed class RouteCacheEntry
{
    public RouteCacheEntry(RouteResponse response, DateTimeOffset createdAt, DateTimeOffset staleAt, long version)
    {
        Response = response;
        CreatedAt = createdAt;
        StaleAt = staleAt;
        Version = version;
    }

    /// <summary>The response as it is served: the handler's, plus the <c>Cache-Control</c> the cache computed.</summary>
    public RouteResponse Response { get; }

    /// <summary>When it was rendered, on the route cache's clock.</summary>
    public DateTimeOffset CreatedAt { get; }

    /// <summary>
    /// From when it is STALE: <c>CreatedAt + Revalidate</c>, <see cref="DateTimeOffset.MaxValue"/> for a static route
    /// without revalidate, or the retry window's end after a failed regeneration.
    /// </summary>
    public DateTimeOffset StaleAt { get; }

    /// <summary>Increases with every entry a route's owner stores (also across a hand-over), so a newer entry wins.</summary>
    public long Version { get; }

    /// <summary>The bytes this entry is accounted for against <c>Cluster:Cache:MaxBytes</c>.</summary>
    public long Size => RouteCacheSizes.Of(Response);
}
