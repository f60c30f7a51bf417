using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Networking;

/// <summary>
/// One broadcast waiting for its peers. Each inbound connection it was queued on holds it in its table of pending
/// broadcasts, by id; whoever removes it from that table — the reader on the peer's acknowledgement, the connection's
/// close, or this broadcast's timeout (which then closes the connection) — counts that peer as done, so each peer counts
/// exactly once. The broadcast completes when every peer is done and <see cref="Seal"/> has been called.
/// </summary>
internal sealed partial class PendingBroadcast
{
    private readonly List<ClusterConnection> _peers = [];
    private readonly TaskCompletionSource<int> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;
    private ITimer? _timer;

    // One for the sender until it has queued the broadcast on every connection, so it cannot complete half-sent.
    private int _outstanding = 1;
    private int _acknowledged;

    public PendingBroadcast(long id, string topic, TimeSpan timeout, ILogger logger)
    {
        Id = id;
        Topic = topic;
        _timeout = timeout;
        _logger = logger;
    }

    /// <summary>The id the acknowledgements carry.</summary>
    public long Id { get; }

    /// <summary>The topic, for logs.</summary>
    public string Topic { get; }

    /// <summary>Completes with the number of peers that acknowledged.</summary>
    public Task<int> Task => _completion.Task;

    /// <summary>Counts a peer in; called by the sending thread only, before <see cref="Seal"/>.</summary>
    public void AddPeer(ClusterConnection connection)
    {
        Interlocked.Increment(ref _outstanding);
        _peers.Add(connection);
    }

    /// <summary>Every peer has been counted in: start the timeout and let the broadcast complete.</summary>
    public void Seal(TimeProvider timeProvider)
    {
        if (_peers.Count > 0)
        {
            // Set before the sender's own count is released: completion (which disposes it) cannot happen earlier.
            _timer = timeProvider.CreateTimer(static state => ((PendingBroadcast)state!).OnTimeout(), this, _timeout, Timeout.InfiniteTimeSpan);
        }

        OnPeerDone(acknowledged: false);
    }

    /// <summary>A peer is done: it acknowledged, or its connection closed (called by whoever removed it from the table).</summary>
    public void OnPeerDone(bool acknowledged)
    {
        if (acknowledged)
        {
            Interlocked.Increment(ref _acknowledged);
        }

        if (Interlocked.Decrement(ref _outstanding) == 0)
        {
            _timer?.Dispose();
            _completion.TrySetResult(Volatile.Read(ref _acknowledged));
        }
    }

    private void OnTimeout()
    {
        foreach (var connection in _peers)
        {
            if (connection.TryRemoveBroadcast(this))
            {
                // Closing the connection is what makes "done" true: the peer drops what it learned from this silo when its
                // connection closes (IConnectionLossObserver), so a peer that cannot confirm is made to forget instead.
                Log.NotAcknowledged(_logger, connection.PeerName, Id, Topic, _timeout);
                connection.Abort(new TimeoutException($"Broadcast {Id} ({Topic}) was not acknowledged within Cluster:Messaging:BroadcastTimeout ({_timeout})."), failure: false);
                OnPeerDone(acknowledged: false);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4630, LogLevel.Warning, "{Peer} did not acknowledge broadcast {BroadcastId} ({Topic}) within Cluster:Messaging:BroadcastTimeout ({Timeout}); closing its connection so it drops what it learned from this silo.")]
        public static partial void NotAcknowledged(ILogger logger, string peer, long broadcastId, string topic, TimeSpan timeout);
    }
}
