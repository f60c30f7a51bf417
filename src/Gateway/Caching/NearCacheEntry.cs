using Cluster.Routing;

namespace Cluster.Gateway.Caching;

/// <summary>A gateway's copy of one cached response: immutable, replaced whole.</summary>
internal sealed class NearCacheEntry
{
    /// <summary>The expiry of a copy that is fresh until it is invalidated.</summary>
    public const long Never = long.MaxValue;

    public NearCacheEntry(RouteResponse response, string pattern, long expiresAt, long size)
    {
        Response = response;
        Pattern = pattern;
        ExpiresAt = expiresAt;
        Size = size;
    }

    /// <summary>The response as the owner answered it (with the owner's <c>Cache-Control</c>).</summary>
    public RouteResponse Response { get; }

    /// <summary>The route the path was routed to, so a whole-route invalidation finds the copy.</summary>
    public string Pattern { get; }

    /// <summary>The <see cref="Grains.Caching.RouteCacheClock.GetTimestamp"/> from which the copy is no longer served, or <see cref="Never"/>.</summary>
    public long ExpiresAt { get; }

    /// <summary>The bytes the copy is accounted for against <c>Gateway:NearCache:MaxBytes</c>.</summary>
    public long Size { get; }
}
