using Cluster.Runtime.Membership;

namespace Cluster.Gateway.Tests.Caching.TestSupport;

/// <summary>A membership view a test moves by hand.</summary>
internal sealed class FakeMembership : IClusterMembership
{
    public MembershipSnapshot Current { get; private set; } = MembershipSnapshot.Empty;

    public event Action<MembershipSnapshot>? Changed;

    public int Subscribers => Changed?.GetInvocationList().Length ?? 0;

    public void Publish()
    {
        Current = new MembershipSnapshot(Current.Version + 1, []);
        Changed?.Invoke(Current);
    }

    public Task RefreshAsync(int minVersion, CancellationToken cancellationToken) => Task.CompletedTask;
}
