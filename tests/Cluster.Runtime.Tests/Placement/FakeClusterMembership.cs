using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Tests.Placement;

/// <summary>A membership whose snapshots the test publishes by hand (no table, no probes): placement is what is under test.</summary>
internal sealed class FakeClusterMembership(MembershipSnapshot initial) : IClusterMembership
{
    private MembershipSnapshot _current = initial;

    public event Action<MembershipSnapshot>? Changed;

    public MembershipSnapshot Current => Volatile.Read(ref _current);

    public Task RefreshAsync(int minVersion, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Publish(MembershipSnapshot snapshot)
    {
        Volatile.Write(ref _current, snapshot);
        Changed?.Invoke(snapshot);
    }
}
