using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Tests.Networking;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Tests.Diagnostics;

/// <summary><see cref="ISiloStatsClient"/> between real silos (and a cluster client) over the loopback transport.</summary>
public sealed class SiloStatsClientTests
{
    [Fact]
    public async Task GetAsync_RemoteSilo_AnswersWithThatSilosStatsOverTheTransport()
    {
        // Arrange
        await using var silos = await TwoSilos.StartAsync(
            second: static services => services.Configure<SiloOptions>(static o => o.SiloName = "stats-second"));
        var second = TwoSilos.AddressOf(silos.Second);
        var sut = silos.First.Services.GetRequiredService<ISiloStatsClient>();

        // Act
        var stats = await sut.GetAsync(second, CancellationToken.None).WithTimeout();

        // Assert
        Assert.Equal(second, stats.Silo);
        Assert.Equal("stats-second", stats.SiloName);
        Assert.Equal(Environment.MachineName, stats.HostName);
        Assert.True(stats.Uptime >= TimeSpan.Zero);
        Assert.InRange(stats.CpuPercent, 0, 100);
        Assert.True(stats.WorkingSetBytes > 0);
        Assert.True(stats.GcHeapBytes > 0);

        // The second silo's own stats worker answered; the first silo activated nothing.
        Assert.Contains(new KeyValuePair<string, int>(SiloStatsGrain.GrainType.Name, 1), stats.ActivationsByType);
        Assert.DoesNotContain(silos.First.Catalog.Activations, static a => a.GrainId.Type == SiloStatsGrain.GrainType);
    }

    [Fact]
    public async Task GetAsync_OwnSilo_IsTakenInProcessWithoutAGrainCall()
    {
        // Arrange
        await using var silos = await TwoSilos.StartAsync();
        var first = TwoSilos.AddressOf(silos.First);
        var sut = silos.First.Services.GetRequiredService<ISiloStatsClient>();

        // Act
        var stats = await sut.GetAsync(first, CancellationToken.None).WithTimeout();

        // Assert
        Assert.Equal(first, stats.Silo);
        Assert.InRange(stats.CpuPercent, 0, 100);
        Assert.DoesNotContain(stats.ActivationsByType, static t => t.Key == SiloStatsGrain.GrainType.Name);
        Assert.DoesNotContain(silos.First.Catalog.Activations, static a => a.GrainId.Type == SiloStatsGrain.GrainType);
    }

    [Fact]
    public async Task GetAsync_AfterActivatingGrains_CountsWhatTheSilosCatalogHolds()
    {
        // Arrange: three grains owned by the second silo, activated by calls from the first.
        await using var silos = await TwoSilos.StartAsync();
        var second = TwoSilos.AddressOf(silos.Second);
        await CallThreeGrainsOwnedBySecondAsync(silos);
        var sut = silos.First.Services.GetRequiredService<ISiloStatsClient>();

        // Act
        var stats = await sut.GetAsync(second, CancellationToken.None).WithTimeout();

        // Assert: the figures are the catalog's (its stats worker included), largest type first.
        var catalog = silos.Second.Catalog.Activations
            .GroupBy(static a => a.GrainId.Type.Name, StringComparer.Ordinal)
            .ToDictionary(static g => g.Key, static g => g.Count(), StringComparer.Ordinal);
        Assert.Equal(catalog.Values.Sum(), stats.Activations);
        Assert.Equal(catalog, stats.ActivationsByType.ToDictionary(StringComparer.Ordinal));
        Assert.Equal(
            [new KeyValuePair<string, int>(HopGrain.Type.Name, 3), new KeyValuePair<string, int>(SiloStatsGrain.GrainType.Name, 1)],
            stats.ActivationsByType);
    }

    [Fact]
    public async Task GetAsync_RemoteSilo_MessagingFiguresAreThoseOfThatSilosMeters()
    {
        // Arrange: grain requests from the first silo to grains the second owns.
        await using var silos = await TwoSilos.StartAsync();
        var second = TwoSilos.AddressOf(silos.Second);
        await CallThreeGrainsOwnedBySecondAsync(silos);
        var sut = silos.First.Services.GetRequiredService<ISiloStatsClient>();

        // Act
        var stats = await sut.GetAsync(second, CancellationToken.None).WithTimeout();

        // Assert: the second silo's own reading (what its /_cluster/metrics shows) has the same total; it received the
        // three calls and the statistics request itself, over at least the first silo's connection.
        var reading = silos.Second.Services.GetRequiredService<IMetricsReader>().Read();
        Assert.Equal(reading.Find("cluster.messaging.received")?.Sum() ?? 0, stats.MessagesReceived);
        Assert.True(stats.MessagesReceived >= 4, $"received {stats.MessagesReceived}");
        Assert.True(stats.Connections >= 1, $"connections {stats.Connections}");
    }

    [Fact]
    public async Task GetAsync_StoppedSilo_ThrowsSiloUnavailable()
    {
        // Arrange
        await using var silos = await TwoSilos.StartAsync();
        var second = TwoSilos.AddressOf(silos.Second);
        var sut = silos.First.Services.GetRequiredService<ISiloStatsClient>();
        await sut.GetAsync(second, CancellationToken.None).WithTimeout();
        await silos.Second.StopAsync().WithTimeout();

        // Act
        var error = await Record.ExceptionAsync(() => sut.GetAsync(second, CancellationToken.None).WithTimeout());

        // Assert
        Assert.IsType<SiloUnavailableException>(error);
    }

    [Fact]
    public async Task GetAsync_SiloNotInTheView_ThrowsSiloUnavailableWithoutConnecting()
    {
        // Arrange: the second silo's endpoint with a later generation (a restart nobody has seen).
        await using var silos = await TwoSilos.StartAsync();
        var second = TwoSilos.AddressOf(silos.Second);
        var unknown = new SiloAddress(second.Host, second.Port, second.Generation + 1000);
        var sut = silos.First.Services.GetRequiredService<ISiloStatsClient>();

        // Act
        var error = await Record.ExceptionAsync(() => sut.GetAsync(unknown, CancellationToken.None).WithTimeout());

        // Assert
        var unavailable = Assert.IsType<SiloUnavailableException>(error);
        Assert.Contains("not a member", unavailable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_CancelledToken_ThrowsOperationCanceled()
    {
        // Arrange
        await using var silos = await TwoSilos.StartAsync();
        var sut = silos.First.Services.GetRequiredService<ISiloStatsClient>();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        // Act
        var error = await Record.ExceptionAsync(() => sut.GetAsync(TwoSilos.AddressOf(silos.Second), cancelled.Token).WithTimeout());

        // Assert
        Assert.IsAssignableFrom<OperationCanceledException>(error);
    }

    [Fact]
    public async Task GetAsync_FromAClusterClient_ReachesEverySilo()
    {
        // Arrange: a process without a silo (a gateway with Gateway:HostSilo=false) on the same membership table.
        await using var silos = await TwoSilos.StartAsync();
        using var client = await StartClientAsync(silos);
        var sut = client.Services.GetRequiredService<ISiloStatsClient>();

        // Act
        var first = await sut.GetAsync(TwoSilos.AddressOf(silos.First), CancellationToken.None).WithTimeout();
        var second = await sut.GetAsync(TwoSilos.AddressOf(silos.Second), CancellationToken.None).WithTimeout();

        // Assert
        Assert.Equal(TwoSilos.AddressOf(silos.First), first.Silo);
        Assert.Equal(TwoSilos.AddressOf(silos.Second), second.Silo);
        Assert.Contains(new KeyValuePair<string, int>(SiloStatsGrain.GrainType.Name, 1), first.ActivationsByType);
        Assert.Contains(new KeyValuePair<string, int>(SiloStatsGrain.GrainType.Name, 1), second.ActivationsByType);
        await client.StopAsync().WithTimeout();
    }

    [Fact]
    public async Task GetAsync_EmbeddedSilo_AnswersForItselfAndRefusesAnyOther()
    {
        // Arrange: a silo alone (membership private to the process), which builds nothing networked.
        await using var silo = await TestSilo.StartAsync(static builder => builder.AddGrain<EchoGrain>(EchoGrain.Type));
        await silo.GrainFactory.GetGrain(EchoGrain.Type, "a").InvokeAsync<Ping, int>(new Ping(1)).WithTimeout();
        var self = silo.Services.GetRequiredService<LocalSiloStatus>().SiloAddress;
        var sut = silo.Services.GetRequiredService<ISiloStatsClient>();

        // Act
        var stats = await sut.GetAsync(self, CancellationToken.None).WithTimeout();
        var other = await Record.ExceptionAsync(
            () => sut.GetAsync(new SiloAddress(self.Host, self.Port + 1, self.Generation), CancellationToken.None).WithTimeout());

        // Assert
        Assert.Equal(self, stats.Silo);
        Assert.Equal(1, stats.Activations);
        Assert.Equal([new KeyValuePair<string, int>(EchoGrain.Type.Name, 1)], stats.ActivationsByType);
        Assert.True(stats.Uptime > TimeSpan.Zero);
        Assert.IsType<SiloUnavailableException>(other);
    }

    // Three grains the second silo owns, activated by calls from the first.
    private static async Task CallThreeGrainsOwnedBySecondAsync(TwoSilos silos)
    {
        foreach (var prefix in new[] { "x", "y", "z" })
        {
            var key = silos.KeyOwnedBy(silos.Second, HopGrain.Type, prefix);
            await silos.First.GrainFactory.GetGrain(HopGrain.Type, key)
                .InvokeAsync<HopRequest, string>(new HopRequest(string.Empty, HopMode.Plain)).WithTimeout();
        }
    }

    private static async Task<IHost> StartClientAsync(TwoSilos silos)
    {
        var table = silos.First.Services.GetRequiredService<IMembershipTable>();
        var clusterId = silos.First.Services.GetRequiredService<IOptions<ClusterOptions>>().Value.ClusterId;
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddSingleton(table);
        builder.Services.Configure<ClusterOptions>(options => options.ClusterId = clusterId);
        builder.Services.AddClusterClient();
        var host = builder.Build();
        await host.StartAsync().WithTimeout();
        return host;
    }
}
