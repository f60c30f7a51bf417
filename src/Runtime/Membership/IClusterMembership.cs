namespace Cluster.Runtime.Membership;

/// <summary>
/// This process's view of the cluster's membership: what the call invoker, gateways and health checks read. Views only
/// move forward: <see cref="Current"/> never goes to a lower version, and <see cref="Changed"/> sees them in order.
/// </summary>
public interface IClusterMembership
{
    /// <summary>The newest view this process has read. A field read; safe on hot paths.</summary>
    MembershipSnapshot Current { get; }

    /// <summary>
    /// Raised after each newer view is published, in version order, on the thread that published it. Handlers must be
    /// quick and must not block; a view that is already superseded is not raised to the handlers not yet called.
    /// </summary>
    event Action<MembershipSnapshot>? Changed;

    /// <summary>
    /// Re-reads the table unless <see cref="Current"/> already has at least <paramref name="minVersion"/>. Concurrent
    /// callers share one read. Throws what the table throws when the store is unreachable (the view stays as it was).
    /// </summary>
    Task RefreshAsync(int minVersion, CancellationToken cancellationToken);
}
