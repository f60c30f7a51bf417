using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Diagnostics;

public sealed class RuntimeMetricsTests
{
    [Fact]
    public async Task QueueLength_RequestsBehindABlockingTurn_ShownWhileTheyWait()
    {
        // Arrange: a non-reentrant grain whose first request holds the turn.
        await using var silo = await TestSilo.StartAsync(static b => b.AddGrain<WaitingGrain>(WaitingGrain.Type));
        var reader = silo.Services.GetRequiredService<IMetricsReader>();
        var grain = silo.GrainFactory.GetGrain(WaitingGrain.Type, "w");
        var tracker = new ConcurrencyTracker();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, release.Task)).AsTask();
        await tracker.WhenEnteredAsync(1).WithTimeout();
        var idle = reader.Read();

        // Act: two more requests queue behind it (they are queued before InvokeAsync returns).
        var queued = new[]
        {
            grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, release.Task)).AsTask(),
            grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, release.Task)).AsTask(),
        };
        var blocked = reader.Read();
        release.SetResult();
        await Task.WhenAll([running, .. queued]).WithTimeout();
        var drained = reader.Read();

        // Assert
        Assert.Equal(0, idle.Find("cluster.activation.queue.length")!.Sum());
        var queue = blocked.Find("cluster.activation.queue.length")!;
        Assert.Equal(2, queue.Sum());
        Assert.Equal(MetricReadingKind.Gauge, queue.Kind);
        Assert.Equal("{request}", queue.Unit);
        Assert.Equal(0, drained.Find("cluster.activation.queue.length")!.Sum());
        Assert.Equal(1, drained.Find("cluster.grain.activations")!.Sum(KeyValuePair.Create("grain.type", "waiting")));
    }

    [Fact]
    public async Task EmbeddedSilo_HasNoMembershipView_ReportsNoMembershipSeries()
    {
        await using var silo = await TestSilo.StartAsync(static b => b.AddGrain<EchoGrain>(EchoGrain.Type));

        var reading = silo.Services.GetRequiredService<IMetricsReader>().Read();

        Assert.Null(reading.Find("cluster.membership.silos"));
        Assert.NotNull(reading.Find("cluster.activation.queue.length"));
    }
}
