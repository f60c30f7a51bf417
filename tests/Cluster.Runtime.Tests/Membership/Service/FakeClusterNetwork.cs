using System.Collections.Concurrent;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Tests.Membership.Service;

/// <summary>
/// Who can reach whom, decided by the test. The membership protocol is tested here on its own, so the silos' probes and
/// notices go through this fake instead of the real socket transport (written and tested separately): a test can then
/// kill, freeze or isolate a silo precisely, and say which probes fail, without processes or firewalls.
/// </summary>
internal sealed class FakeClusterNetwork
{
    private readonly ConcurrentDictionary<SiloAddress, bool> _alive = new();
    private readonly ConcurrentDictionary<SiloAddress, bool> _frozen = new();
    private readonly ConcurrentDictionary<(SiloAddress From, SiloAddress To), bool> _blocked = new();
    private readonly ConcurrentDictionary<SiloAddress, IMembershipNotificationSink> _sinks = new();

    public FakeClusterTransport CreateTransport(SiloAddress self) => new(this, self);

    /// <summary>The silo's process runs and answers probes (unless frozen or blocked).</summary>
    public void SetAlive(SiloAddress silo, bool alive) => _alive[silo] = alive;

    /// <summary>A frozen process keeps its connections but answers nothing: probes to it time out.</summary>
    public void SetFrozen(SiloAddress silo, bool frozen) => _frozen[silo] = frozen;

    /// <summary>Probes from <paramref name="from"/> to <paramref name="to"/> fail (a one-way partition).</summary>
    public void Block(SiloAddress from, SiloAddress to, bool blocked = true) => _blocked[(from, to)] = blocked;

    public void Register(SiloAddress silo, IMembershipNotificationSink sink) => _sinks[silo] = sink;

    public void Unregister(SiloAddress silo) => _sinks.TryRemove(silo, out _);

    public bool IsFrozen(SiloAddress silo) => _frozen.TryGetValue(silo, out var frozen) && frozen;

    public bool CanReach(SiloAddress from, SiloAddress to)
        => _alive.TryGetValue(to, out var alive) && alive
        && !IsFrozen(to)
        && !(_blocked.TryGetValue((from, to), out var blocked) && blocked);

    /// <summary>Delivers a membership notice to every other registered process, asynchronously like a network would.</summary>
    public void Broadcast(SiloAddress from, int version)
    {
        foreach (var (silo, sink) in _sinks)
        {
            if (!silo.Equals(from) && CanReach(from, silo))
            {
                ThreadPool.QueueUserWorkItem(static state => state.Sink.OnPeerNotified(state.Version), (Sink: sink, Version: version), preferLocal: false);
            }
        }
    }
}
