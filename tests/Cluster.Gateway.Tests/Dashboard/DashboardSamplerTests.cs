using System.Net;
using Cluster.Gateway.Dashboard;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;

namespace Cluster.Gateway.Tests.Dashboard;

/// <summary>The sampler behind the event stream, each test on a fresh gateway: it runs exactly while someone watches.</summary>
public sealed class DashboardSamplerTests : IAsyncLifetime
{
    private GatewayHost _host = null!;

    private DashboardSampler Sampler => _host.Services.GetRequiredService<DashboardSampler>();

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync(EdgeAppManifest.Instance);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Sampler_NoViewerYet_Idle()
    {
        // Resolving the sampler starts nothing: a gateway nobody watches pays nothing for its dashboard.
        Assert.False(Sampler.IsRunning);
        Assert.Equal(0, Sampler.Runs);
        Assert.Equal(0, Sampler.SamplesTaken);
        await Sampler.Loop.WaitAsync(TestTimeouts.Default);
    }

    [Fact]
    public async Task Events_OneViewer_DeliversConsecutiveSequencesWithChartPoints()
    {
        await using var stream = await DashboardEventStream.OpenAsync(_host.Address);

        var first = await stream.ReadSnapshotAsync();
        var second = await stream.ReadSnapshotAsync();
        var third = await stream.ReadSnapshotAsync();

        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        DashboardAssertions.HasSecurityHeaders(stream.Response);
        Assert.Equal(first.Sequence + 1, second.Sequence);
        Assert.Equal(second.Sequence + 1, third.Sequence);
        Assert.True(third.At > first.At);

        // A point per interval from the second sample on (the first has no interval before it).
        Assert.Equal(2, third.Throughput.Count);
        Assert.True(third.Throughput[1].At > third.Throughput[0].At);
    }

    [Fact]
    public async Task Sampler_LastViewerLeaves_StopsAndTheNextSnapshotRestartsIt()
    {
        // Arrange: one viewer, seen by the sampler.
        var stream = await DashboardEventStream.OpenAsync(_host.Address);
        await stream.ReadSnapshotAsync();
        Assert.True(Sampler.IsRunning);
        Assert.Equal(1, Sampler.Viewers);
        var loop = Sampler.Loop;

        // Act: the viewer closes its connection.
        await stream.DisposeAsync();

        // Assert: the loop ends by itself at its next tick, with no viewer left.
        await loop.WaitAsync(TestTimeouts.Default);
        Assert.False(Sampler.IsRunning);
        Assert.Equal(0, Sampler.Viewers);
        var taken = Sampler.SamplesTaken;
        Assert.Equal(1, Sampler.Runs);

        // A snapshot request starts it again, and the answer is the new run's first sample.
        using var response = await _host.Client.GetAsync("/_cluster/dashboard/snapshot").WaitAsync(TestTimeouts.Default);
        var snapshot = System.Text.Json.JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), DashboardJsonContext.Default.DashboardSnapshot)!;
        Assert.Equal(taken + 1, snapshot.Sequence);
        Assert.Equal(2, Sampler.Runs);
    }

    [Fact]
    public async Task Events_ViewerThatReadsNothing_DoesNotHoldUpTheOthers()
    {
        // Arrange: a viewer that never reads, next to one that does.
        using var stalled = Sampler.Subscribe();
        await using var stream = await DashboardEventStream.OpenAsync(_host.Address);

        // Act: the reading viewer sees every sample, well past the stalled viewer's queue.
        var first = await stream.ReadSnapshotAsync();
        var last = first;
        for (var i = 0; i < DashboardSubscription.Capacity + 2; i++)
        {
            var next = await stream.ReadSnapshotAsync();
            Assert.Equal(last.Sequence + 1, next.Sequence);
            last = next;
        }

        // Assert: the stalled viewer kept only the newest samples, in order.
        var kept = new List<long>();
        while (stalled.Samples.TryRead(out var sample))
        {
            kept.Add(sample.Sequence);
        }

        Assert.Equal(DashboardSubscription.Capacity, kept.Count);
        Assert.Equal(Enumerable.Range((int)kept[0], kept.Count).Select(static s => (long)s), kept);
        Assert.True(kept[^1] >= last.Sequence);
        Assert.True(kept[0] > first.Sequence);
    }
}
