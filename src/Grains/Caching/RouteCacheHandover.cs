namespace Cluster.Grains.Caching;

/// <summary>
/// A route's cached entries, sent by an activation that leaves its silo (the route's owner changed, or the silo shuts
/// down) to the route's grain, which placement has put on the new owner by then (message <see cref="MessageName"/>,
/// answered by <see cref="RouteCacheHandoverResult"/>). The receiver installs each entry unless it holds a newer one or
/// has invalidated the path since it activated, so a rolling restart keeps routes warm.
/// </summary>
internal sealed class RouteCacheHandover
{
    /// <summary>The message type name of a hand-over on the cluster protocol.</summary>
    public const string MessageName = "route-cache.handover.v1";

    /// <summary>The entries, each with its times relative to the sender's clock at sending.</summary>
    public required IReadOnlyList<RouteCacheHandoverEntry> Entries { get; init; }
}
