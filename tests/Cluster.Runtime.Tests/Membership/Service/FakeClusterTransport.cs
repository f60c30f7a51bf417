using System.Collections.Concurrent;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;

namespace Cluster.Runtime.Tests.Membership.Service;

/// <summary>One process's view of a <see cref="FakeClusterNetwork"/>: probes, notices and disconnections, recorded.</summary>
internal sealed class FakeClusterTransport : IClusterTransport
{
    private readonly FakeClusterNetwork _network;
    private readonly SiloAddress _self;
    private int _probes;

    public FakeClusterTransport(FakeClusterNetwork network, SiloAddress self)
    {
        _network = network;
        _self = self;
    }

    public ConcurrentQueue<SiloAddress> Disconnected { get; } = new();

    public ConcurrentQueue<int> Notified { get; } = new();

    public ConcurrentQueue<SiloAddress> Probed { get; } = new();

    /// <summary>Indirect probes sent: (intermediary, target, whether it succeeded).</summary>
    public ConcurrentQueue<(SiloAddress Intermediary, SiloAddress Target, bool Reached)> IndirectProbes { get; } = new();

    public int ProbeCount => Volatile.Read(ref _probes);

    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(
        SiloAddress target, GrainId grainId, TRequest request, int viewVersion, CancellationToken cancellationToken)
        => throw new NotSupportedException("Membership tests make no grain calls.");

    public async Task<bool> ProbeAsync(SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _probes);
        Probed.Enqueue(target);
        await Task.Yield();
        if (_network.CanReach(_self, target))
        {
            return true;
        }

        if (_network.IsFrozen(target))
        {
            // No answer: the probe waits out its timeout, as it would against a stopped (SIGSTOP) process.
            await Task.Delay(timeout, cancellationToken);
        }

        return false;
    }

    public async Task<bool> ProbeIndirectlyAsync(SiloAddress intermediary, SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Task.Yield();

        // As the real transport: the intermediary must be reachable from here and must itself reach the target.
        var reached = _network.CanReach(_self, intermediary) && _network.CanReach(intermediary, target);
        if (!reached && (_network.IsFrozen(intermediary) || _network.IsFrozen(target)))
        {
            await Task.Delay(timeout / 2, cancellationToken);
        }

        IndirectProbes.Enqueue((intermediary, target, reached));
        return reached;
    }

    public void NotifyMembershipChanged(int version)
    {
        Notified.Enqueue(version);
        _network.Broadcast(_self, version);
    }

    public void Disconnect(SiloAddress target) => Disconnected.Enqueue(target);
}
