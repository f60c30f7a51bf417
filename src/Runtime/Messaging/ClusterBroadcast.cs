using Cluster.Runtime.Networking;

namespace Cluster.Runtime.Messaging;

/// <summary>
/// <see cref="IClusterBroadcast"/> of a networked silo: the notice goes on every connection peers opened to this silo's
/// listener (gateways and other silos: the processes that may hold what they received from it), this process's own
/// receivers run inline, and the task completes when every peer acknowledged, closed, or was closed for not answering
/// within <c>Cluster:Messaging:BroadcastTimeout</c> (Networking/README.md, "Broadcasts").
/// </summary>
internal sealed class ClusterBroadcast : IClusterBroadcast
{
    private readonly ClusterTransport _transport;
    private readonly BroadcastReceivers _receivers;

    public ClusterBroadcast(ClusterTransport transport, BroadcastReceivers receivers)
    {
        _transport = transport;
        _receivers = receivers;
    }

    /// <inheritdoc />
    public Task<int> BroadcastAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(cancellationToken);
        }

        // Peers first (a bad topic or size throws here, before anything is sent), so they work while the local receivers run.
        var peers = _transport.BroadcastAsync(topic, payload);
        _receivers.Deliver(topic, payload.Span);

        // Cancelling abandons only the wait: the broadcast still completes (and still closes peers that do not answer).
        return peers.WaitAsync(cancellationToken);
    }
}
