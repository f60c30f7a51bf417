using Cluster.Runtime.Membership;

namespace Cluster.Grains.Tests.TestInfrastructure;

/// <summary>A membership view a test moves by hand (an embedded silo's own view never changes).</summary>
internal sealed class SettableMembership : IClusterMembership
{
    private MembershipSnapshot _current = MembershipSnapshot.Empty;

    public event Action<MembershipSnapshot>? Changed;

    public MembershipSnapshot Current
    {
        get => _current;
        set
        {
            _current = value;
            Changed?.Invoke(value);
        }
    }

    public Task RefreshAsync(int minVersion, CancellationToken cancellationToken) => Task.CompletedTask;
}
