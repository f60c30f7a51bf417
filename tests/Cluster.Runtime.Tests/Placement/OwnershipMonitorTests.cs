using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Messaging;
using Cluster.Runtime.Placement;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cluster.Runtime.Tests.Placement;

/// <summary>
/// A silo of a cluster keeps activations only of grains it owns in its membership view: when a newer view gives a grain
/// to another silo (a silo joined, or views converge after a partition during which both ran the grain), the local
/// activation deactivates and no new one is created here.
/// </summary>
public sealed class OwnershipMonitorTests
{
    [Fact]
    public async Task NewViewGivesTheGrainToAnotherSilo_LocalActivationDeactivates_AndIsNotRecreated()
    {
        var probe = new GrainProbe();
        var membership = new FakeClusterMembership(MembershipSnapshot.Empty);
        var services = new ServiceCollection();
        services.AddSingleton(probe);
        services.AddClusterRuntime().AddGrain<ProbeGrain>(ProbeGrain.Type);
        services.Replace(ServiceDescriptor.Singleton<IMembershipTable>(new InMemoryMembershipTable(isShared: true)));
        services.Replace(ServiceDescriptor.Singleton<IClusterMembership>(membership));
        await using var silo = services.BuildServiceProvider();
        var status = silo.GetRequiredService<LocalSiloStatus>();
        status.TryAdvance(SiloStatus.Active);
        var local = status.SiloAddress;
        var other = new SiloAddress("127.0.0.1", 30001, 1);
        var grain = MovingGrain(Snapshot(1, local), Snapshot(2, local, other), other);
        var invoker = silo.GetRequiredService<LocalGrainCallInvoker>();
        membership.Publish(Snapshot(1, local));

        Assert.Equal(7, await invoker.InvokeAsync<RecordRequest, int>(grain, new RecordRequest(7), CancellationToken.None).AsTask().WithTimeout());
        Assert.Equal(1, probe.Activations);

        membership.Publish(Snapshot(2, local, other));

        Assert.Equal(DeactivationReason.OwnerChanged, await probe.Deactivated.Task.WithTimeout());
        await Assert.ThrowsAsync<SiloUnavailableException>(
            () => invoker.InvokeAsync<RecordRequest, int>(grain, new RecordRequest(8), CancellationToken.None).AsTask().WithTimeout());
        Assert.Equal(1, probe.Activations);
        Assert.DoesNotContain(8, probe.Handled);
    }

    private static MembershipSnapshot Snapshot(int version, params SiloAddress[] active)
        => new(version, active.Select(static s => new MembershipEntry { SiloAddress = s, Status = SiloStatus.Active }));

    // A grain the local silo owns when alone and the other silo owns once it is in the view.
    private static GrainId MovingGrain(MembershipSnapshot alone, MembershipSnapshot both, SiloAddress other)
    {
        var before = new PlacementView(alone);
        var after = new PlacementView(both);
        for (var i = 0; ; i++)
        {
            var id = new GrainId(ProbeGrain.Type, "g" + i);
            if (before.GetOwner(id) is not null && other.Equals(after.GetOwner(id)))
            {
                return id;
            }
        }
    }
}
