using System.Collections.Concurrent;
using Cluster.Runtime.Messaging;

namespace Cluster.Grains.Tests.TestInfrastructure;

/// <summary>
/// Stands in for the runtime's confirmed broadcast: records every notice, and can hold a broadcast open until the test
/// releases it (to see that an invalidation waits for the confirmation).
/// </summary>
internal sealed class RecordingClusterBroadcast : IClusterBroadcast
{
    private readonly ConcurrentQueue<(string Topic, byte[] Payload)> _sent = new();

    /// <summary>Every notice sent, in order.</summary>
    public IReadOnlyCollection<(string Topic, byte[] Payload)> Sent => _sent;

    /// <summary>When set, each broadcast completes only once this task does.</summary>
    public Task? Hold { get; set; }

    public async Task<int> BroadcastAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        _sent.Enqueue((topic, payload.ToArray()));
        if (Hold is { } hold)
        {
            await hold.WaitAsync(cancellationToken);
        }

        return 0;
    }
}
