using System.Diagnostics;
using System.Runtime.InteropServices;
using Cluster.Runtime.Activation;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// Takes this silo's <see cref="SiloStats"/> when asked (the dashboard asks about once a second per gateway): identity
/// from the membership row, activations from the catalog, CPU and memory from the runtime, and the messaging and
/// connection figures from this host's meters through <see cref="IMetricsReader"/>, so they are the numbers a scrape of
/// <c>/_cluster/metrics</c> shows. Costs nothing between calls; a call allocates and may take a short lock.
/// </summary>
internal sealed class SiloStatsProvider
{
    /// <summary>
    /// A CPU sample closer than this to the previous one returns the previous figure: several gateways asking within
    /// moments of each other would otherwise measure a few microseconds of wall time, which says nothing.
    /// </summary>
    internal static readonly TimeSpan MinCpuSampleInterval = TimeSpan.FromMilliseconds(250);

    private static readonly Lazy<DateTimeOffset> s_processStart = new(ReadProcessStart);

    private readonly LocalSiloStatus _status;
    private readonly ActivationCatalog _catalog;
    private readonly string _configuredName;
    private readonly TimeProvider _timeProvider;
    private readonly IClusterMembership? _membership;
    private readonly IMetricsReader? _metrics;
    private readonly Lock _cpuLock = new();
    private bool _cpuSampled; // the fields below are guarded by _cpuLock
    private TimeSpan _lastCpuTime;
    private long _lastCpuTimestamp;
    private double _lastCpuPercent;

    /// <param name="status">The local silo.</param>
    /// <param name="catalog">Its activations.</param>
    /// <param name="siloOptions">Its configured name (the membership row's, when there is one, wins).</param>
    /// <param name="timeProvider">The clock for uptime and CPU intervals.</param>
    /// <param name="membership">The membership view, when the silo is networked; null when it is alone (embedded).</param>
    /// <param name="metrics">This host's meters; null reads the messaging and connection figures as 0.</param>
    public SiloStatsProvider(
        LocalSiloStatus status,
        ActivationCatalog catalog,
        IOptions<SiloOptions> siloOptions,
        TimeProvider timeProvider,
        IClusterMembership? membership = null,
        IMetricsReader? metrics = null)
    {
        _status = status;
        _catalog = catalog;
        _configuredName = siloOptions.Value.SiloName ?? Environment.MachineName;
        _timeProvider = timeProvider;
        _membership = membership;
        _metrics = metrics;
    }

    /// <summary>The silo this provider reports on.</summary>
    public SiloAddress Silo => _status.SiloAddress;

    /// <summary>Takes the silo's statistics now. Thread-safe.</summary>
    public SiloStats Capture()
    {
        var silo = _status.SiloAddress;
        MembershipEntry? entry = null;
        _membership?.Current.TryGetEntry(silo, out entry);

        // Uptime from the row's start time (written when the silo joined) when the silo is a member; an embedded silo
        // has no row and starts with its process.
        var startedAt = entry?.StartTime ?? s_processStart.Value;
        var uptime = _timeProvider.GetUtcNow() - startedAt;

        var (activations, byType) = CountActivations();
        var reading = _metrics?.Read();
        return new SiloStats
        {
            Silo = silo,
            SiloName = string.IsNullOrEmpty(entry?.SiloName) ? _configuredName : entry.SiloName,
            HostName = string.IsNullOrEmpty(entry?.HostName) ? Environment.MachineName : entry.HostName,
            Uptime = uptime > TimeSpan.Zero ? uptime : TimeSpan.Zero,
            Activations = activations,
            ActivationsByType = byType,
            CpuPercent = SampleCpu(),
            WorkingSetBytes = Environment.WorkingSet,
            GcHeapBytes = GC.GetTotalMemory(forceFullCollection: false),
            MessagesReceived = Total(reading, "cluster.messaging.received"),
            MessagesSent = Total(reading, "cluster.messaging.sent"),
            MessagesRejected = Total(reading, "cluster.messaging.rejected"),
            QueuedRequests = (int)Math.Min(int.MaxValue, Total(reading, "cluster.activation.queue.length")),
            Connections = (int)Math.Min(int.MaxValue, Total(reading, "cluster.connection.count")),
        };
    }

    /// <summary>Activations by grain type, counted the way <c>cluster.grain.activations</c> counts them: largest first, then by name.</summary>
    private (int Total, KeyValuePair<string, int>[] ByType) CountActivations()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        foreach (var activation in _catalog.Activations)
        {
            CollectionsMarshal.GetValueRefOrAddDefault(counts, activation.GrainId.Type.Name ?? string.Empty, out _)++;
            total++;
        }

        var byType = counts.ToArray();
        Array.Sort(byType, static (a, b) => a.Value != b.Value
            ? b.Value.CompareTo(a.Value)
            : string.CompareOrdinal(a.Key, b.Key));
        return (total, byType);
    }

    /// <summary>
    /// The process's CPU use since the previous sample (the first: since the process started), as a share of every core
    /// (process CPU time ÷ wall time ÷ <see cref="Environment.ProcessorCount"/> × 100), clamped to 0–100.
    /// </summary>
    private double SampleCpu()
    {
        lock (_cpuLock)
        {
            // Read under the lock, so two callers cannot store their samples in the opposite order they took them.
            var cpuTime = Environment.CpuUsage.TotalTime;
            var timestamp = _timeProvider.GetTimestamp();
            TimeSpan used;
            TimeSpan wall;
            if (_cpuSampled)
            {
                wall = _timeProvider.GetElapsedTime(_lastCpuTimestamp, timestamp);
                if (wall < MinCpuSampleInterval)
                {
                    return _lastCpuPercent;
                }

                used = cpuTime - _lastCpuTime;
            }
            else
            {
                wall = _timeProvider.GetUtcNow() - s_processStart.Value;
                used = cpuTime;
            }

            _cpuSampled = true;
            _lastCpuTime = cpuTime;
            _lastCpuTimestamp = timestamp;
            _lastCpuPercent = Percent(used, wall);
            return _lastCpuPercent;
        }
    }

    private static double Percent(TimeSpan used, TimeSpan wall)
    {
        if (wall <= TimeSpan.Zero || used <= TimeSpan.Zero)
        {
            return 0;
        }

        var percent = used.Ticks / (double)wall.Ticks / Environment.ProcessorCount * 100;
        return Math.Min(percent, 100);
    }

    /// <summary>The sum of every series of an instrument (0 when it has none yet, or there is no reader), never negative.</summary>
    private static long Total(MetricsReading? reading, string instrument)
    {
        var sum = reading?.Find(instrument)?.Sum() ?? 0;
        return sum > 0 ? (long)Math.Min(sum, long.MaxValue) : 0;
    }

    private static DateTimeOffset ReadProcessStart()
    {
        using var process = Process.GetCurrentProcess();
        return new DateTimeOffset(process.StartTime.ToUniversalTime(), TimeSpan.Zero);
    }
}
