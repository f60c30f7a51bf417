using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Hosting;
using Cluster.Gateway.Middleware;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Routing.Hosting;
using Cluster.TestSupport;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Tests.Middleware;

public sealed class MiddlewareBackgroundWorkTests : IDisposable
{
    private readonly TestLogSink _logs = new();
    private readonly LoggerFactory _loggerFactory;

    public MiddlewareBackgroundWorkTests()
    {
        _loggerFactory = new LoggerFactory([_logs]);
    }

    public void Dispose() => _loggerFactory.Dispose();

    private MiddlewareBackgroundWork CreateSut(TimeSpan? waitUntilTimeout = null) => new(
        new ClusterAppManifest { AppName = "t", Routes = [] },
        Options.Create(new MiddlewareOptions { WaitUntilTimeout = waitUntilTimeout ?? TimeSpan.FromSeconds(10) }),
        TimeProvider.System,
        _loggerFactory.CreateLogger<MiddlewareBackgroundWork>());

    [Fact]
    public async Task Track_TaskCompletes_IsForgotten()
    {
        var sut = CreateSut();
        // Continuations run inline on SetResult, so the task is forgotten by the time SetResult returns.
        var work = new TaskCompletionSource();

        sut.Track(work.Task);
        Assert.Equal(1, sut.OutstandingCount);
        work.SetResult();
        await work.Task.WaitAsync(TestTimeouts.Default);

        Assert.Equal(0, sut.OutstandingCount);
    }

    [Fact]
    public void Track_AlreadyCompletedTask_IsNotKept()
    {
        var sut = CreateSut();

        sut.Track(Task.CompletedTask);

        Assert.Equal(0, sut.OutstandingCount);
    }

    [Fact]
    public void Track_TaskFails_LogsErrorWithException()
    {
        var sut = CreateSut();
        var work = new TaskCompletionSource();

        sut.Track(work.Task);
        work.SetException(new InvalidOperationException("background boom"));

        var entry = Assert.Single(_logs.Entries, e => e.EventId.Id == GatewayEventIds.MiddlewareBackgroundWorkFailed);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Equal("background boom", entry.Exception?.Message);
        Assert.Equal(0, sut.OutstandingCount);
    }

    [Fact]
    public async Task StopAsync_OutstandingWork_WaitsForIt()
    {
        var sut = CreateSut();
        var work = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        sut.Track(work.Task);

        var stop = sut.StopAsync(CancellationToken.None);
        Assert.False(stop.IsCompleted);
        work.SetResult();
        await stop.WaitAsync(TestTimeouts.Default);

        Assert.DoesNotContain(_logs.Entries, e => e.EventId.Id == GatewayEventIds.MiddlewareBackgroundWorkAbandoned);
    }

    [Fact]
    public async Task StopAsync_WorkOutlivesTimeout_AbandonsAndLogsCount()
    {
        var sut = CreateSut(TimeSpan.FromMilliseconds(50));
        var never = new TaskCompletionSource();
        sut.Track(never.Task);
        sut.Track(never.Task.ContinueWith(static _ => { }, TaskScheduler.Default));

        await sut.StopAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);

        var entry = Assert.Single(_logs.Entries, e => e.EventId.Id == GatewayEventIds.MiddlewareBackgroundWorkAbandoned);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.StartsWith("Abandoned 2 ", entry.Message, StringComparison.Ordinal);
        never.SetResult();
    }

    [Fact]
    public async Task StopAsync_NothingOutstanding_CompletesAtOnce()
    {
        var sut = CreateSut();

        await sut.StopAsync(CancellationToken.None).WaitAsync(TestTimeouts.Default);

        Assert.Empty(_logs.Entries);
    }
}
