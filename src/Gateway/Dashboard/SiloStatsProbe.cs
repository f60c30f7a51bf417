using Cluster.Runtime.Diagnostics;

namespace Cluster.Gateway.Dashboard;

/// <summary>
/// The dashboard's state of one silo: the statistics it last answered and the request still pending, if any. The poller
/// starts a request only when none is pending, so a silo that hangs costs one outstanding request, never a pile.
/// </summary>
internal sealed class SiloStatsProbe
{
    private volatile SiloStats? _last;
    private long _lastAnsweredAt;
    private volatile bool _lastSucceeded;

    /// <summary>The request in flight or the last one; null before the first.</summary>
    public Task? Pending { get; set; }

    /// <summary>The statistics the silo last answered; null until it first did.</summary>
    public SiloStats? Last => _last;

    /// <summary>When <see cref="Last"/> arrived (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long LastAnsweredAt => Interlocked.Read(ref _lastAnsweredAt);

    /// <summary>Whether the last request that ended was answered.</summary>
    public bool LastSucceeded => _lastSucceeded;

    /// <summary>Records an answer.</summary>
    public void Answered(SiloStats stats, long timestamp)
    {
        Interlocked.Exchange(ref _lastAnsweredAt, timestamp);
        _last = stats;
        _lastSucceeded = true;
    }

    /// <summary>Records a request that failed or timed out.</summary>
    public void Failed() => _lastSucceeded = false;
}
