using Cluster.Runtime.Activation;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Networking;

/// <summary>
/// The part of a received request that does not depend on its message types: what the silo's status scan needs to
/// report a request that has been running or waiting for a while (orleans-runtime.md §3.5).
/// </summary>
internal abstract class InboundRequest : OutboundFrame, IArrivingRequest
{
    private ActivationWorkItem? _queued;
    private long _lastReport;
    private int _slot = -1;

    protected InboundRequest(ClusterConnection connection, long correlationId, GrainId grainId)
    {
        Connection = connection;
        CorrelationId = correlationId;
        GrainId = grainId;
    }

    /// <inheritdoc />
    public GrainId GrainId { get; }

    /// <summary>The caller's correlation id.</summary>
    public long CorrelationId { get; }

    /// <summary>The connection the request arrived on and its response leaves by.</summary>
    protected ClusterConnection Connection { get; }

    /// <summary>When the request started being handled (timestamp).</summary>
    protected long StartedAt { get; set; }

    /// <summary>Its place in the connection's table of long requests (-1: not in it, or finished).</summary>
    internal int Slot
    {
        get => Volatile.Read(ref _slot);
        set => Volatile.Write(ref _slot, value);
    }

    /// <inheritdoc />
    public void OnQueued(ActivationWorkItem item) => Volatile.Write(ref _queued, item);

    /// <summary>
    /// The status report to send now, or null: one when the request has been running or waiting for
    /// <paramref name="threshold"/>, then one each further <paramref name="threshold"/>, until it finishes.
    /// </summary>
    public RequestStatusFrame? TryReport(long now, long threshold, string silo, ClusterTransport transport)
    {
        if (Slot < 0)
        {
            // Finished (removed from the table after the scan read it).
            return null;
        }

        var last = _lastReport == 0 ? StartedAt : _lastReport;
        if (now - last < threshold)
        {
            return null;
        }

        _lastReport = now;
        var progress = RequestProgress.Executing;
        var since = StartedAt;
        if (Volatile.Read(ref _queued) is { } queued)
        {
            var turnStarted = queued.StartedTimestamp;
            if (turnStarted == 0)
            {
                progress = queued.IsWaiting ? RequestProgress.Waiting : RequestProgress.Executing;
            }
            else
            {
                since = turnStarted;
            }
        }

        var elapsed = (uint)Math.Min(transport.RemainingMilliseconds(now, since), uint.MaxValue);
        return new RequestStatusFrame(CorrelationId, progress, elapsed, silo);
    }
}
