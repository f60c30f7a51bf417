using System.Net;
using System.Text.Json;
using Cluster.Gateway.Dashboard;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Runtime.Diagnostics;

namespace Cluster.Gateway.Tests.Dashboard;

/// <summary>A silo that stops answering its statistics requests must not stall the dashboard's samples.</summary>
public sealed class DashboardSiloTimeoutTests
{
    [Fact]
    public async Task Snapshot_SiloNeverAnswers_ArrivesWithTheSiloUnreachableAndSamplingGoesOn()
    {
        // Arrange: the embedded silo's statistics never come.
        var silos = new StallingSiloStatsClient(answers: 0);
        await using var host = await StartAsync(silos);

        // Act
        var first = await GetSnapshotAsync(host);
        await using var stream = await DashboardEventStream.OpenAsync(host.Address);
        var next = await stream.ReadSnapshotAsync();
        var after = await stream.ReadSnapshotAsync();

        // Assert: listed (from the membership) but unreachable, without numbers; samples keep coming; one request only.
        var silo = Assert.Single(first.Silos);
        Assert.Equal("Active", silo.Status);
        Assert.False(silo.Reachable);
        Assert.Null(silo.Activations);
        Assert.Equal(next.Sequence + 1, after.Sequence);
        Assert.False(Assert.Single(after.Silos).Reachable);
        Assert.Equal(1, silos.Calls);
    }

    [Fact]
    public async Task Snapshot_SiloStopsAnswering_KeepsItsLastNumbersMarkedUnreachable()
    {
        // Arrange: the silo answers once, then hangs.
        var silos = new StallingSiloStatsClient(answers: 1);
        await using var host = await StartAsync(silos);

        // Act
        await using var stream = await DashboardEventStream.OpenAsync(host.Address);
        var answered = await stream.ReadSnapshotAsync();
        var stalled = await stream.ReadSnapshotAsync();

        // Assert
        Assert.True(Assert.Single(answered.Silos).Reachable);
        Assert.Equal(StallingSiloStatsClient.Activations, answered.Silos[0].Activations);
        var silo = Assert.Single(stalled.Silos);
        Assert.False(silo.Reachable);
        Assert.Equal(StallingSiloStatsClient.Activations, silo.Activations);
        Assert.Equal(answered.Sequence + 1, stalled.Sequence);
    }

    private static Task<GatewayHost> StartAsync(ISiloStatsClient silos) =>
        GatewayHost.StartAsync(
            EdgeAppManifest.Instance,
            services => services.AddSingleton(silos),
            "--Gateway:Dashboard:SiloTimeout=00:00:00.2");

    private static async Task<DashboardSnapshot> GetSnapshotAsync(GatewayHost host)
    {
        using var response = await host.Client.GetAsync("/_cluster/dashboard/snapshot").WaitAsync(TestTimeouts.Default);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), DashboardJsonContext.Default.DashboardSnapshot)!;
    }
}
