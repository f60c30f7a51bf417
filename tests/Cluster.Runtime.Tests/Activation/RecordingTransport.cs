using System.Collections.Concurrent;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;

namespace Cluster.Runtime.Tests.Activation;

/// <summary>
/// A cluster transport that only records where grain calls were sent: each call to another silo "succeeds" with the
/// target's port (so the test sees where it ran), or is refused unstarted when the target is in <see cref="Refusing"/>.
/// </summary>
internal sealed class RecordingTransport : IClusterTransport
{
    public ConcurrentQueue<SiloAddress> Sent { get; } = new();

    public ConcurrentDictionary<SiloAddress, bool> Refusing { get; } = new();

    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(
        SiloAddress target, GrainId grainId, TRequest request, int viewVersion, CancellationToken cancellationToken)
    {
        Sent.Enqueue(target);
        return Refusing.ContainsKey(target)
            ? ValueTask.FromException<TResponse>(new SiloUnavailableException($"{target} is shutting down."))
            : new ValueTask<TResponse>((TResponse)(object)target.Port);
    }

    public Task<bool> ProbeAsync(SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken) => Task.FromResult(true);

    public Task<bool> ProbeIndirectlyAsync(SiloAddress intermediary, SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken)
        => Task.FromResult(true);

    public void NotifyMembershipChanged(int version)
    {
    }

    public void Disconnect(SiloAddress target)
    {
    }
}
