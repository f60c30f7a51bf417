using System.Diagnostics;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>Status reports for long requests (orleans-runtime.md §3.5): carried into the timeout, never extending it.</summary>
public sealed class StatusReportTests
{
    [Fact]
    public async Task LongCall_TimesOutWithTheLastExecutingStatus_AndRanOnce()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler, o => o.StatusUpdateAfter = TimeSpan.FromMilliseconds(200));
        await using var client = TransportHost.CreateClient(o =>
        {
            o.ResponseTimeout = TimeSpan.FromSeconds(2);
            o.StatusUpdateAfter = TimeSpan.FromMilliseconds(200);
        });

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.CallAsync(silo.Silo, "hang").AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        // Reports arrived every 200 ms, yet the call still failed at its timeout: they did not extend it.
        Assert.Contains("still executing on silo " + silo.Silo, error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.9), $"timed out after {watch.Elapsed}");
        Assert.Equal(1, handler.Invocations);
        handler.Release();
    }

    [Fact]
    public async Task LongCall_WithoutReports_SaysNoStatusWasReceived()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var client = TransportHost.CreateClient(o => o.ResponseTimeout = TimeSpan.FromSeconds(1));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => client.CallAsync(silo.Silo, "hang").AsTask().WaitAsync(TimeSpan.FromSeconds(30)));

        Assert.Contains("No status report was received", error.Message, StringComparison.Ordinal);
        handler.Release();
    }

    [Fact]
    public async Task QueuedBehindABusyGrain_ReportsWaiting_AndTheLongCallReportsExecuting()
    {
        await using var silos = await TwoSilos.StartAsync(o =>
        {
            o.ResponseTimeout = TimeSpan.FromSeconds(2);
            o.StatusUpdateAfter = TimeSpan.FromMilliseconds(300);
        });
        var key = silos.KeyOwnedBy(silos.First, SleepGrain.Type, "s");
        var grain = silos.Second.GrainFactory.GetGrain(SleepGrain.Type, key);
        var log = silos.First.Services.GetRequiredService<SleepLog>();

        var busy = grain.InvokeAsync<SleepRequest, int>(new SleepRequest("long", 5000)).AsTask();
        await WaitUntilAsync(() => log.Runs("long") == 1);
        var queued = grain.InvokeAsync<SleepRequest, int>(new SleepRequest("queued", 1)).AsTask();

        var busyError = await Assert.ThrowsAsync<TimeoutException>(() => busy.WaitAsync(TimeSpan.FromSeconds(30)));
        var queuedError = await Assert.ThrowsAsync<TimeoutException>(() => queued.WaitAsync(TimeSpan.FromSeconds(30)));

        var first = TwoSilos.AddressOf(silos.First).ToString();
        Assert.Contains("still executing on silo " + first, busyError.Message, StringComparison.Ordinal);
        Assert.Contains("still waiting in the grain's queue on silo " + first, queuedError.Message, StringComparison.Ordinal);

        // The queued request runs once the long one ends; by then the long one has provably run once (never re-sent).
        await WaitUntilAsync(() => log.Runs("queued") == 1);
        Assert.Equal(1, log.Runs("long"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, timeout.Token);
        }
    }
}
