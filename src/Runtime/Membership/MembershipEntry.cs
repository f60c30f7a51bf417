using System.Collections.Immutable;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Membership;

/// <summary>One silo's row in the membership table. Immutable; a change is a new entry written by compare-and-swap.</summary>
public sealed record MembershipEntry
{
    /// <summary>The silo (<c>host:port@generation</c>): the row's key.</summary>
    public required SiloAddress SiloAddress { get; init; }

    /// <summary>The silo's status. Only moves forward; <see cref="SiloStatus.Dead"/> is final.</summary>
    public required SiloStatus Status { get; init; }

    /// <summary>Votes that this silo is dead, oldest first.</summary>
    public ImmutableArray<SuspectVote> SuspectTimes { get; init; } = [];

    /// <summary>The silo's name (in Kubernetes, the pod name); informational.</summary>
    public string SiloName { get; init; } = string.Empty;

    /// <summary>The machine's host name; informational.</summary>
    public string HostName { get; init; } = string.Empty;

    /// <summary>When the silo started (UTC).</summary>
    public DateTimeOffset StartTime { get; init; }

    /// <summary>The silo's last I-am-alive write (UTC); diagnostics and disaster recovery, not the heartbeat.</summary>
    public DateTimeOffset IAmAliveTime { get; init; }

    /// <summary>max(<see cref="StartTime"/>, <see cref="IAmAliveTime"/>).</summary>
    public DateTimeOffset EffectiveIAmAliveTime => IAmAliveTime > StartTime ? IAmAliveTime : StartTime;
}
