using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.Membership.Service;

public sealed class MembershipClientTests
{
    [Fact]
    public async Task RefreshAsync_AfterSiloJoins_SeesIt()
    {
        await using var cluster = new MembershipTestCluster();

        // Periodic refresh far away, so only on-demand reads can explain what the client sees.
        await using var sut = cluster.CreateClient(o => o.RefreshPeriod = TimeSpan.FromHours(1));
        await sut.StartAsync(CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);
        Assert.Empty(sut.Current.ActiveSilos);
        var silo = await cluster.StartSiloAsync();
        var version = await cluster.Table.GetVersionAsync();
        Assert.True(sut.Current.Version < version);

        await sut.RefreshAsync(version, CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);

        Assert.Equal(version, sut.Current.Version);
        Assert.Equal(new[] { silo.Address }, sut.Current.ActiveSilos.ToArray());
    }

    [Fact]
    public async Task VotedDeadSilo_IsDisconnectedAtOnce()
    {
        await using var cluster = new MembershipTestCluster();
        var transport = cluster.Network.CreateTransport(new SiloAddress("gateway", 1, 1));
        await using var sut = cluster.CreateClient(o => o.RefreshPeriod = TimeSpan.FromHours(1), transport);
        var survivor = await cluster.StartSiloAsync();
        var victim = await cluster.StartSiloAsync();
        await sut.StartAsync(CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);

        await cluster.KillAsync(victim);
        await cluster.WaitForTableAsync(s => s.GetStatus(victim.Address) == SiloStatus.Dead, "the victim voted dead");
        sut.OnPeerNotified(await cluster.Table.GetVersionAsync());

        await MembershipTestCluster.WaitForViewAsync(sut, s => s.GetStatus(victim.Address) == SiloStatus.Dead, "the victim Dead");
        Assert.Contains(victim.Address, transport.Disconnected);
        Assert.DoesNotContain(survivor.Address, transport.Disconnected);
    }

    [Fact]
    public async Task OnPeerNotified_NewerVersion_RefreshesAndKeepsAGracefulLeaversConnection()
    {
        await using var cluster = new MembershipTestCluster();
        var transport = cluster.Network.CreateTransport(new SiloAddress("gateway", 1, 1));
        await using var sut = cluster.CreateClient(o => o.RefreshPeriod = TimeSpan.FromHours(1), transport);
        var silo = await cluster.StartSiloAsync();
        await sut.StartAsync(CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);
        Assert.Equal(SiloStatus.Active, sut.Current.GetStatus(silo.Address));
        var changed = new List<int>();
        sut.Changed += s =>
        {
            lock (changed)
            {
                changed.Add(s.Version);
            }
        };

        await silo.Agent.ShutDownAsync(CancellationToken.None);
        await silo.Agent.LeaveAsync(CancellationToken.None);
        var version = await cluster.Table.GetVersionAsync();
        sut.OnPeerNotified(version);

        await MembershipTestCluster.WaitForViewAsync(sut, s => s.GetStatus(silo.Address) == SiloStatus.Dead, "the silo Dead");

        // It left by itself (no votes): it answers what it received and closes its connections itself.
        Assert.DoesNotContain(silo.Address, transport.Disconnected);
        lock (changed)
        {
            Assert.Equal(changed.Order(), changed);
            Assert.Equal(version, changed[^1]);
        }
    }

    [Fact]
    public async Task StartAsync_StoreDown_RetriesUntilItAnswers()
    {
        await using var cluster = new MembershipTestCluster();
        await cluster.StartSiloAsync();
        cluster.Table.IsDown = true;
        await using var sut = cluster.CreateClient();

        var start = sut.StartAsync(CancellationToken.None);
        await Task.Delay(300);
        Assert.False(start.IsCompleted);
        cluster.Table.IsDown = false;

        await start.WaitAsync(MembershipTestCluster.WaitTimeout);
        Assert.Single(sut.Current.ActiveSilos);
    }

    [Fact]
    public async Task PeriodicRefresh_SeesChangesWithoutBeingAsked()
    {
        await using var cluster = new MembershipTestCluster();
        await using var sut = cluster.CreateClient();
        await sut.StartAsync(CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);

        var silo = await cluster.StartSiloAsync();

        await MembershipTestCluster.WaitForViewAsync(sut, s => s.GetStatus(silo.Address) == SiloStatus.Active, "the silo Active");
        await sut.StopAsync(CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);
    }
}
