using Cluster.Runtime.Networking;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Messaging;

/// <summary>
/// <see cref="IClusterBroadcast"/> of a silo that is the whole cluster (a membership table private to the process): no
/// other process can hold anything learned from it, so only this process's receivers run, and no peer acknowledges.
/// Topic and size are checked as in a networked silo, so code that works here works in a cluster.
/// </summary>
internal sealed class LocalBroadcast : IClusterBroadcast
{
    private readonly BroadcastReceivers _receivers;
    private readonly int _maxFrameSize;

    public LocalBroadcast(BroadcastReceivers receivers, IOptions<MessagingOptions> options)
    {
        _receivers = receivers;
        _maxFrameSize = options.Value.MaxFrameSize;
    }

    /// <inheritdoc />
    public Task<int> BroadcastAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<int>(cancellationToken);
        }

        ClusterTransport.EncodeTopic(topic, payload.Length, _maxFrameSize);
        _receivers.Deliver(topic, payload.Span);
        return Task.FromResult(0);
    }
}
