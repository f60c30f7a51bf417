using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Membership;

/// <summary>Facts derived from a row that the membership protocol decides on (orleans-runtime.md §1.2, §1.5).</summary>
internal static class MembershipEntryExtensions
{
    /// <summary>Whether the row missed its I-am-alive writes for longer than the options allow.</summary>
    public static bool IsStale(this MembershipEntry entry, DateTimeOffset now, ClusterMembershipOptions options)
        => now - entry.EffectiveIAmAliveTime > options.StaleAfter;

    /// <summary>Whether the silo may be probed: it is starting, serving or stopping, but not dead.</summary>
    public static bool IsProbeTarget(this MembershipEntry entry)
        => entry.Status is SiloStatus.Joining or SiloStatus.Active or SiloStatus.ShuttingDown or SiloStatus.Stopping;

    /// <summary>Whether the row is on the same endpoint (host and port) as <paramref name="silo"/>, whatever the generation.</summary>
    public static bool IsSameEndpoint(this SiloAddress address, SiloAddress silo)
        => address.Port == silo.Port && string.Equals(address.Host, silo.Host, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether a Dead row was written by the silo itself on a graceful exit (no votes against it) rather than by peers
    /// that voted it dead. A silo that leaves gracefully answers every request it received and then closes its own
    /// connections, so its callers must not fail those requests early by dropping the connection themselves.
    /// </summary>
    public static bool LeftGracefully(this MembershipEntry entry) => entry.Status == SiloStatus.Dead && entry.SuspectTimes.IsEmpty;
}
