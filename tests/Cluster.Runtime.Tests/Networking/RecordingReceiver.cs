using System.Collections.Concurrent;
using Cluster.Runtime.Messaging;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>
/// A broadcast receiver that records every payload it gets and, when told to, blocks its caller (the connection's read
/// loop) until released, or throws.
/// </summary>
internal sealed class RecordingReceiver : IBroadcastReceiver
{
    private readonly ManualResetEventSlim _gate = new(initialState: true);

    public RecordingReceiver(string topic) => Topic = topic;

    public string Topic { get; }

    public ConcurrentQueue<byte[]> Received { get; } = new();

    /// <summary>Completes when the receiver has been called (before any block).</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Throws { get; set; }

    /// <summary>Makes the next calls block until <see cref="Release"/>.</summary>
    public void Block() => _gate.Reset();

    public void Release() => _gate.Set();

    public void OnBroadcast(ReadOnlySpan<byte> payload)
    {
        Entered.TrySetResult();
        if (!_gate.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException("The test never released the receiver.");
        }

        Received.Enqueue(payload.ToArray());
        if (Throws)
        {
            throw new InvalidOperationException("receiver failure");
        }
    }
}
