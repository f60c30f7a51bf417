using System.Net;
using System.Net.Sockets;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Membership.Service;

/// <summary>The agent on the real socket transport (127.0.0.1): a refused connection brings a probe forward.</summary>
public sealed class RealTransportConnectionFailureTests
{
    [Fact]
    public async Task RefusedConnection_ToMonitoredPeer_ProbedAtOnceAndDeclaredDead()
    {
        // A port nothing listens on: connecting is refused at once, as with a killed process.
        var deadPeer = new SiloAddress("127.0.0.1", FreePort(), SiloAddress.NextGeneration(TimeProvider.System));
        var self = new SiloAddress("127.0.0.1", FreePort(), SiloAddress.NextGeneration(TimeProvider.System));
        var table = new TestMembershipTable();
        var services = new ServiceCollection();
        services.AddLogging();
        services.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = "membership-test";
            o.Secret = "membership-test-secret";
        });
        services.AddSingleton(ClusterTransportIdentity.ForSilo(self));
        services.AddClusterTransport();
        services.AddSingleton<IMembershipTable>(table);
        services.AddSingleton<ISiloStatus>(new FixedSiloStatus(self));

        // Probing every 10 minutes and voting at the first miss: only an early probe can declare the peer dead in time.
        services.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbePeriod = TimeSpan.FromMinutes(10);
            o.ProbeTimeout = TimeSpan.FromSeconds(2);
            o.NumMissedProbesLimit = 1;
            o.DeathVoteExpiration = TimeSpan.FromHours(1);
            o.RefreshPeriod = TimeSpan.FromMinutes(10);
        });
        services.AddSingleton<MembershipAgent>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var agent = provider.GetRequiredService<MembershipAgent>();
        var transport = provider.GetRequiredService<ClusterTransport>();
        await agent.JoinAsync(CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);

        // The peer appears (it joined from elsewhere); the agent learns of it and starts monitoring it.
        var now = TimeProvider.System.GetUtcNow();
        var version = await table.InsertAsync(new MembershipEntry { SiloAddress = deadPeer, Status = SiloStatus.Active, StartTime = now, IAmAliveTime = now });
        await agent.RefreshAsync(version, CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);
        Assert.Contains(deadPeer, agent.MonitoredSilos);

        // Some other use of the connection (here a probe of our own) is refused: the transport reports it.
        Assert.False(await transport.ProbeAsync(deadPeer, TimeSpan.FromSeconds(2), CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout));

        await MembershipTestCluster.WaitForViewAsync(agent, s => s.GetStatus(deadPeer) == SiloStatus.Dead, $"{deadPeer} Dead");
        Assert.Equal(SiloStatus.Active, agent.LocalStatus);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
