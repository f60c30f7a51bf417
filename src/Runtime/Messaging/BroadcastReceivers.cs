using System.Buffers;
using System.Collections.Frozen;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Messaging;

/// <summary>
/// The process's <see cref="IBroadcastReceiver"/>s, grouped by topic once (they are singletons). Runs the receivers of a
/// topic for a notice from a peer silo (on the connection's read loop) or from this process's own silo (on the
/// broadcaster's thread); a receiver that throws is logged and the others still run, because the sender is acknowledged
/// either way.
/// </summary>
internal sealed partial class BroadcastReceivers
{
    // Payloads up to this size are copied to the stack when they arrive split across pipe segments.
    private const int MaxStackPayload = 512;

    private readonly FrozenDictionary<string, IBroadcastReceiver[]> _byTopic;
    private readonly ILogger _logger;

    public BroadcastReceivers(IEnumerable<IBroadcastReceiver> receivers, ILogger<BroadcastReceivers> logger)
    {
        ArgumentNullException.ThrowIfNull(receivers);
        _logger = logger;
        var byTopic = new Dictionary<string, List<IBroadcastReceiver>>(StringComparer.Ordinal);
        foreach (var receiver in receivers)
        {
            var topic = receiver.Topic;
            if (string.IsNullOrEmpty(topic))
            {
                throw new InvalidOperationException($"Broadcast receiver {receiver.GetType().FullName} has no topic.");
            }

            if (!byTopic.TryGetValue(topic, out var list))
            {
                byTopic[topic] = list = [];
            }

            list.Add(receiver);
        }

        _byTopic = byTopic.ToFrozenDictionary(static pair => pair.Key, static pair => pair.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Whether any receiver handles <paramref name="topic"/>.</summary>
    public bool Handles(string topic) => _byTopic.ContainsKey(topic);

    /// <summary>Runs every receiver of <paramref name="topic"/>; returns how many ran (0 if none handles it).</summary>
    public int Deliver(string topic, ReadOnlySpan<byte> payload)
    {
        if (!_byTopic.TryGetValue(topic, out var receivers))
        {
            return 0;
        }

        foreach (var receiver in receivers)
        {
            try
            {
                receiver.OnBroadcast(payload);
            }
            catch (Exception ex)
            {
                Log.ReceiverFailed(_logger, receiver.GetType().FullName ?? receiver.GetType().Name, topic, ex);
            }
        }

        return receivers.Length;
    }

    /// <summary>As <see cref="Deliver(string, ReadOnlySpan{byte})"/>, for a payload still in a connection's pipe.</summary>
    public int Deliver(string topic, ReadOnlySequence<byte> payload)
    {
        if (payload.IsSingleSegment)
        {
            return Deliver(topic, payload.FirstSpan);
        }

        if (!Handles(topic))
        {
            return 0;
        }

        var length = checked((int)payload.Length);
        if (length <= MaxStackPayload)
        {
            Span<byte> small = stackalloc byte[MaxStackPayload];
            payload.CopyTo(small);
            return Deliver(topic, small[..length]);
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            payload.CopyTo(rented);
            return Deliver(topic, rented.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4631, LogLevel.Error, "Broadcast receiver {Receiver} of topic {Topic} threw; the notice is acknowledged anyway.")]
        public static partial void ReceiverFailed(ILogger logger, string receiver, string topic, Exception exception);
    }
}
