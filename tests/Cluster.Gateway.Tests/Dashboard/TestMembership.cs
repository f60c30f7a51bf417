using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;

namespace Cluster.Gateway.Tests.Dashboard;

/// <summary>A membership view a test moves by hand, one silo status at a time.</summary>
internal sealed class TestMembership : IClusterMembership
{
    public MembershipSnapshot Current { get; private set; } = MembershipSnapshot.Empty;

    public event Action<MembershipSnapshot>? Changed;

    public static SiloAddress Silo(int port) => new("10.0.0.1", port, 100);

    /// <summary>Publishes the next view: the current rows with <paramref name="changes"/> applied (null status: row removed).</summary>
    public void Publish(params (SiloAddress Silo, SiloStatus? Status)[] changes)
    {
        var rows = Current.Entries.ToDictionary(static e => e.SiloAddress);
        foreach (var (silo, status) in changes)
        {
            if (status is { } value)
            {
                rows[silo] = new MembershipEntry { SiloAddress = silo, Status = value };
            }
            else
            {
                rows.Remove(silo);
            }
        }

        Current = new MembershipSnapshot(Current.Version + 1, rows.Values);
        Changed?.Invoke(Current);
    }

    public Task RefreshAsync(int minVersion, CancellationToken cancellationToken) => Task.CompletedTask;
}
