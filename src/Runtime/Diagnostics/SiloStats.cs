using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// What a silo reports about itself for the dashboard: who it is, how long it has run, its load and its resources. Taken
/// by the silo when asked (<see cref="ISiloStatsClient"/>); counters are totals since the silo started.
/// </summary>
public sealed record SiloStats
{
    /// <summary>The silo.</summary>
    public required SiloAddress Silo { get; init; }

    /// <summary>The silo's name (in Kubernetes, the pod name).</summary>
    public string SiloName { get; init; } = string.Empty;

    /// <summary>The machine's host name.</summary>
    public string HostName { get; init; } = string.Empty;

    /// <summary>How long the silo process has run.</summary>
    public TimeSpan Uptime { get; init; }

    /// <summary>Activations on the silo now (every grain type).</summary>
    public int Activations { get; init; }

    /// <summary>Activations by grain type name, largest first.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> ActivationsByType { get; init; } = [];

    /// <summary>
    /// The process's CPU use since the previous report (or since start), as a percentage of the machine's cores: 100 is
    /// every core busy.
    /// </summary>
    public double CpuPercent { get; init; }

    /// <summary>The process's working set.</summary>
    public long WorkingSetBytes { get; init; }

    /// <summary>The managed heap's size.</summary>
    public long GcHeapBytes { get; init; }

    /// <summary>Grain requests this silo received (total).</summary>
    public long MessagesReceived { get; init; }

    /// <summary>Grain requests this silo sent to other silos (total).</summary>
    public long MessagesSent { get; init; }

    /// <summary>Grain requests this silo refused unstarted (total).</summary>
    public long MessagesRejected { get; init; }

    /// <summary>Requests waiting in this silo's activation queues now.</summary>
    public int QueuedRequests { get; init; }

    /// <summary>Open cluster connections (both directions) now.</summary>
    public int Connections { get; init; }
}
