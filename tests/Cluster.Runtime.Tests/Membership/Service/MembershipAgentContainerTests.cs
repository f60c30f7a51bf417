using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Membership.Service;

public sealed class MembershipAgentContainerTests
{
    [Fact]
    public async Task Container_BuildsAgentFromSiloStatusAndOptions_WithoutTerminatorOrHost()
    {
        var address = MembershipTestCluster.NewAddress();
        var table = new TestMembershipTable();
        var network = new FakeClusterNetwork();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IMembershipTable>(table);
        services.AddSingleton<ISiloStatus>(new FixedSiloStatus(address));
        services.AddSingleton<IClusterTransport>(network.CreateTransport(address));
        services.Configure<SiloOptions>(o => o.SiloName = "pod-7");
        services.AddSingleton<MembershipAgent>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

        var sut = provider.GetRequiredService<MembershipAgent>();
        await sut.JoinAsync(CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);

        Assert.Equal(address, sut.LocalSilo);
        var row = await table.GetRowAsync(address);
        Assert.Equal("pod-7", row!.SiloName);
        Assert.Equal(SiloStatus.Active, row.Status);

        // With no host to stop, a silo told it is dead still stops probing and writing.
        await table.WriteStatusAsync(address, SiloStatus.Dead);
        await sut.RefreshAsync(int.MaxValue, CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);
        Assert.True(sut.IsTerminated);
        Assert.Equal(SiloStatus.Dead, sut.LocalStatus);
    }
}
