using System.Net;
using System.Net.Sockets;
using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Tests.Membership.Service;
using Cluster.Runtime.Tests.Networking;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Tests.Diagnostics;

/// <summary>The membership instruments of silos (real runtimes on the real transport) and of a gateway's membership client.</summary>
public sealed class MembershipMetricsTests
{
    [Fact]
    public async Task Silo_PeerJoinsThenLeaves_CountsViewsAndStatusChanges()
    {
        // Arrange: one networked silo, alone so far.
        var table = new InMemoryMembershipTable(isShared: true);
        var clusterId = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        await using var first = await TwoSilos.StartSiloAsync(table, clusterId, messaging: null);
        var reader = first.Services.GetRequiredService<IMetricsReader>();
        await Eventually.UntilAsync(() => Silos(reader.Read(), "active") == 1, "the first silo active in its own view");
        var alone = reader.Read();

        // Act: a second silo joins, then leaves gracefully.
        await using var second = await TwoSilos.StartSiloAsync(table, clusterId, messaging: null);
        var joined = await ReadWhenAsync(reader, static r => Silos(r, "active") == 2, "both silos active");
        await second.DisposeAsync();
        var left = await ReadWhenAsync(reader, static r => Silos(r, "dead") == 1, "the second silo dead");

        // Assert: each silo turned Active once in the first's views, the second turned Dead once, and every step was a view.
        Assert.Equal(1, StatusChanges(alone, "active"));
        Assert.Equal(2, StatusChanges(joined, "active"));
        Assert.Equal(0, StatusChanges(joined, "dead"));
        Assert.Equal(2, StatusChanges(left, "active"));
        Assert.Equal(1, StatusChanges(left, "dead"));
        Assert.True(ViewChanges(joined) > ViewChanges(alone));
        Assert.True(ViewChanges(left) > ViewChanges(joined));
        Assert.Equal(1, Silos(left, "active"));
        Assert.Equal(0, Silos(left, "joining"));
        var silos = left.Find("cluster.membership.silos")!;
        Assert.Equal(MetricReadingKind.Gauge, silos.Kind);
        Assert.Equal(["active", "dead", "joining", "shutting_down", "stopping"], silos.Series.Select(static s => s.Tag("status")!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Silo_ProbesAStoppedSilo_CountsDirectProbeFailures()
    {
        // Arrange: an agent on the real transport, probing often, voting only after many misses.
        var self = new SiloAddress("127.0.0.1", FreePort(), SiloAddress.NextGeneration(TimeProvider.System));
        var table = new TestMembershipTable();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddClusterMetricsExporter();
        services.Configure<ClusterOptions>(static o =>
        {
            o.ClusterId = "metrics-probes";
            o.Secret = "metrics-probes-secret";
        });
        services.AddSingleton(ClusterTransportIdentity.ForSilo(self));
        services.AddClusterTransport();
        services.AddSingleton<IMembershipTable>(table);
        services.AddSingleton<ISiloStatus>(new FixedSiloStatus(self));
        services.Configure<ClusterMembershipOptions>(static o =>
        {
            o.ProbePeriod = TimeSpan.FromMilliseconds(50);
            o.ProbeTimeout = TimeSpan.FromSeconds(1);
            o.NumMissedProbesLimit = 100;
            o.DeathVoteExpiration = TimeSpan.FromHours(1);
            o.RefreshPeriod = TimeSpan.FromMinutes(10);
        });
        services.AddSingleton<MembershipAgent>();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        var reader = provider.GetRequiredService<IMetricsReader>();
        var agent = provider.GetRequiredService<MembershipAgent>();
        await agent.JoinAsync(CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);

        // A silo that ran and stopped: its port refuses connections now.
        SiloAddress stopped;
        await using (var peer = await TransportHost.StartSiloAsync(new TestInboundHandler()))
        {
            stopped = peer.Silo;
        }

        // Act: the stopped silo's row still says Active, so the agent monitors it.
        var now = TimeProvider.System.GetUtcNow();
        var version = await table.InsertAsync(new MembershipEntry { SiloAddress = stopped, Status = SiloStatus.Active, StartTime = now, IAmAliveTime = now });
        await agent.RefreshAsync(version, CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);
        var reading = await ReadWhenAsync(reader, static r => ProbeFailures(r, "direct") >= 2, "two failed probes");

        // Assert: only direct probes (there is no other silo to go through), and no vote yet.
        Assert.Equal(0, ProbeFailures(reading, "indirect"));
        Assert.Equal(SiloStatus.Active, agent.Current.GetStatus(stopped));
        Assert.Equal("{probe}", reading.Find("cluster.membership.probe.failures")!.Unit);
        await agent.DisposeAsync();
    }

    [Fact]
    public async Task MembershipClient_ReadsNewerViews_CountsViewsAndStatusChanges()
    {
        // Arrange: a gateway's membership client over a shared table, its meters exported.
        using var exporter = new ExporterFixture();
        var metrics = new MembershipMetrics(exporter.MeterFactory);
        var table = new TestMembershipTable();
        await using var sut = new MembershipClient(
            table, Options.Create(new ClusterMembershipOptions { RefreshPeriod = TimeSpan.FromMinutes(10) }), TimeProvider.System,
            NullLogger<MembershipClient>.Instance, transport: null, metrics);
        var silo = new SiloAddress("127.0.0.1", 30_001, SiloAddress.NextGeneration(TimeProvider.System));
        var now = TimeProvider.System.GetUtcNow();

        // Act: the silo joins (Joining, then Active), and is read at each step; then it dies.
        var joining = await table.InsertAsync(new MembershipEntry { SiloAddress = silo, Status = SiloStatus.Joining, StartTime = now, IAmAliveTime = now });
        await sut.StartAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);
        var active = await table.WriteStatusAsync(silo, SiloStatus.Active);
        await sut.RefreshAsync(active, CancellationToken.None).WaitAsync(TestTimeouts.Default);
        await sut.RefreshAsync(active, CancellationToken.None).WaitAsync(TestTimeouts.Default);
        var whileActive = exporter.Exporter.Read();
        var dead = await table.WriteStatusAsync(silo, SiloStatus.Dead);
        await sut.RefreshAsync(dead, CancellationToken.None).WaitAsync(TestTimeouts.Default);
        var afterDeath = exporter.Exporter.Read();
        await sut.StopAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);

        // Assert: three newer views (a refresh at the same version is not a change), one status change each.
        Assert.True(joining < active && active < dead);
        Assert.Equal(2, ViewChanges(whileActive));
        Assert.Equal(1, StatusChanges(whileActive, "joining"));
        Assert.Equal(1, StatusChanges(whileActive, "active"));
        Assert.Equal(1, Silos(whileActive, "active"));
        Assert.Equal(3, ViewChanges(afterDeath));
        Assert.Equal(1, StatusChanges(afterDeath, "dead"));
        Assert.Equal(0, Silos(afterDeath, "active"));
        Assert.Equal(1, Silos(afterDeath, "dead"));
    }

    private static double Silos(MetricsReading reading, string status)
        => reading.Find("cluster.membership.silos")?.Sum(KeyValuePair.Create("status", status)) ?? 0;

    private static double StatusChanges(MetricsReading reading, string status)
        => reading.Find("cluster.membership.status.changes")?.Sum(KeyValuePair.Create("status", status)) ?? 0;

    private static double ViewChanges(MetricsReading reading) => reading.Find("cluster.membership.view.changes")?.Sum() ?? 0;

    private static double ProbeFailures(MetricsReading reading, string kind)
        => reading.Find("cluster.membership.probe.failures")?.Sum(KeyValuePair.Create("kind", kind)) ?? 0;

    private static async Task<MetricsReading> ReadWhenAsync(IMetricsReader reader, Func<MetricsReading, bool> condition, string what)
    {
        MetricsReading? reading = null;
        await Eventually.UntilAsync(() => condition(reading = reader.Read()), what);
        return reading!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
