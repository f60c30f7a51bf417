using System.Collections.Concurrent;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>Records every lost connection it is told of; <see cref="OnLost"/> runs inside the callback.</summary>
internal sealed class RecordingLossObserver : IConnectionLossObserver
{
    public ConcurrentQueue<SiloAddress> Lost { get; } = new();

    public TaskCompletionSource<SiloAddress> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Action<SiloAddress>? OnLost { get; set; }

    public void OnConnectionLost(SiloAddress silo)
    {
        OnLost?.Invoke(silo);
        Lost.Enqueue(silo);
        First.TrySetResult(silo);
    }
}
