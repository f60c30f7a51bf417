namespace Cluster.Gateway.Caching;

/// <summary>Why the gateway emptied its whole near-cache.</summary>
internal enum NearCacheClearReason
{
    /// <summary>A connection to a silo closed: invalidations that silo sends can no longer reach this gateway.</summary>
    ConnectionLost,

    /// <summary>The membership view changed: routes may have moved to other owners, which do not know of these copies.</summary>
    MembershipChanged,

    /// <summary>An insert would have gone over <c>Gateway:NearCache:MaxBytes</c>.</summary>
    OverCapacity,

    /// <summary>An invalidation notice could not be read, so which copies it meant is unknown.</summary>
    MalformedInvalidation,
}
