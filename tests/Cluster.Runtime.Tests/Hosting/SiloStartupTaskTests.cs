using Cluster.Runtime.Hosting;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Tests.Networking;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Tests.Hosting;

/// <summary>
/// <see cref="ISiloStartupTask"/>: run in the background once the silo is Active, concurrently, bounded by
/// <c>Cluster:Runtime:StartupTaskTimeout</c>; readiness says WarmingUp until they end, however they end.
/// </summary>
public sealed class SiloStartupTaskTests
{
    private const int TaskFailedEventId = 4243;
    private const int TaskTimedOutEventId = 4244;

    [Fact]
    public async Task StartAsync_TaskBlocksItsThread_ReturnsAtOnceWhileReadinessSaysWarmingUp()
    {
        // Arrange: a task that does not even yield before it blocks (the host's start must not run it inline).
        using var gate = new ManualResetEventSlim();
        var task = new TestStartupTask("blocking", _ =>
        {
            gate.Wait(TimeSpan.FromSeconds(20));
            return Task.CompletedTask;
        });

        // Act
        await using var silo = await StartSiloAsync(task);

        // Assert: started, Active and taking calls, but not ready.
        var readiness = silo.Services.GetRequiredService<IClusterReadiness>();
        await task.Started.Task.WithTimeout();
        Assert.False(task.Finished.Task.IsCompleted);
        Assert.Equal(SiloStatus.Active, silo.Status.Status);
        Assert.True(silo.Status.IsReady);
        Assert.False(readiness.IsReady);
        Assert.Equal("WarmingUp", readiness.State);
        Assert.Equal(7, await silo.GrainFactory.GetGrain(ProbeGrain.Type, "during").InvokeAsync<RecordRequest, int>(new RecordRequest(7)).WithTimeout());

        gate.Set();
        await WarmUpOf(silo).Completion.WithTimeout();
        Assert.True(readiness.IsReady);
        Assert.Equal("Active", readiness.State);
    }

    [Fact]
    public async Task StartupTask_CallsGrains_WhileTheSiloWarmsUp()
    {
        await using var silo = await TestSilo.StartAsync(
            b => b.AddGrain<ProbeGrain>(ProbeGrain.Type),
            services =>
            {
                services.AddSingleton(new GrainProbe());
                services.AddSingleton<ISiloStartupTask>(sp => new TestStartupTask("grain-caller", async ct =>
                {
                    var grain = sp.GetRequiredService<IGrainFactory>().GetGrain(ProbeGrain.Type, "warm");
                    await grain.InvokeAsync<RecordRequest, int>(new RecordRequest(1), ct);
                }));
            });

        await WarmUpOf(silo).Completion.WithTimeout();

        Assert.Equal([1], silo.Services.GetRequiredService<GrainProbe>().Handled);
        Assert.True(silo.Services.GetRequiredService<IClusterReadiness>().IsReady);
    }

    [Fact]
    public async Task StartupTasks_RunConcurrently()
    {
        // Each waits for the other to start: run one after the other, neither would finish.
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var secondStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = new TestStartupTask("first", async ct =>
        {
            firstStarted.TrySetResult();
            await secondStarted.Task.WaitAsync(ct);
        });
        var second = new TestStartupTask("second", async ct =>
        {
            secondStarted.TrySetResult();
            await firstStarted.Task.WaitAsync(ct);
        });

        await using var silo = await StartSiloAsync(first, second);

        await WarmUpOf(silo).Completion.WithTimeout();
        await first.Finished.Task.WithTimeout();
        await second.Finished.Task.WithTimeout();
        Assert.True(silo.Services.GetRequiredService<IClusterReadiness>().IsReady);
    }

    [Fact]
    public async Task StartupTaskThrows_LoggedWithItsNameAndTheSiloTurnsReady()
    {
        var logs = new ListLogger();
        var failing = new TestStartupTask("prerender-broken", _ => throw new InvalidOperationException("render failed"));
        var fine = new TestStartupTask("prerender-fine", _ => Task.CompletedTask);

        await using var silo = await StartSiloAsync([failing, fine], logs: logs);

        await WarmUpOf(silo).Completion.WithTimeout();
        await fine.Finished.Task.WithTimeout();
        Assert.True(silo.Services.GetRequiredService<IClusterReadiness>().IsReady);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.EventId == TaskFailedEventId && e.Message.Contains("prerender-broken", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartupTaskHangsIgnoringItsToken_AtTheTimeoutItIsCancelledLoggedAndTheSiloTurnsReady()
    {
        // Arrange: a manual clock, and a task that never finishes and never looks at its token.
        var time = new FakeTimeProvider();
        var logs = new ListLogger();
        var never = new TaskCompletionSource();
        var hanging = new TestStartupTask("prerender-stuck", _ => never.Task);
        await using var silo = await StartSiloAsync([hanging], logs: logs, time: time, runtime: o => o.StartupTaskTimeout = TimeSpan.FromSeconds(30));
        var readiness = silo.Services.GetRequiredService<IClusterReadiness>();
        await hanging.Started.Task.WithTimeout();

        // Act: just short of the timeout nothing changes; at it, the task is given up.
        time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(readiness.IsReady);
        time.Advance(TimeSpan.FromSeconds(1));

        // Assert
        await WarmUpOf(silo).Completion.WithTimeout();
        await hanging.Cancelled.Task.WithTimeout();
        Assert.True(readiness.IsReady);
        Assert.Contains(logs.Entries, e => e.Level == LogLevel.Warning && e.EventId == TaskTimedOutEventId && e.Message.Contains("prerender-stuck", StringComparison.Ordinal));
        never.SetResult();
    }

    [Fact]
    public async Task StopDuringWarmUp_CancelsTheTasksAndStops()
    {
        var running = new TestStartupTask("long", ct => Task.Delay(Timeout.Infinite, ct));
        var silo = await StartSiloAsync(running);
        await running.Started.Task.WithTimeout();

        await silo.StopAsync().WithTimeout();

        await running.Cancelled.Task.WithTimeout();
        Assert.Equal(SiloStatus.Dead, silo.Status.Status);
        Assert.False(silo.Services.GetRequiredService<IClusterReadiness>().IsReady);
        await silo.DisposeAsync();
    }

    [Fact]
    public async Task NoStartupTasks_ReadyAsSoonAsActive()
    {
        await using var silo = await StartSiloAsync();

        var readiness = silo.Services.GetRequiredService<IClusterReadiness>();
        Assert.True(readiness.IsReady);
        Assert.Equal("Active", readiness.State);
        Assert.True(WarmUpOf(silo).Completion.IsCompleted);
    }

    [Fact]
    public async Task NetworkedSilo_RunsItsStartupTasksBeforeItIsReady()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = new TestStartupTask("networked", ct => release.Task.WaitAsync(ct));
        var table = new InMemoryMembershipTable(isShared: true);

        await using var silo = await TwoSilos.StartSiloAsync(
            table, "warm-" + Guid.NewGuid().ToString("N")[..8], messaging: null, services => services.AddSingleton<ISiloStartupTask>(task));

        var readiness = silo.Services.GetRequiredService<IClusterReadiness>();
        await task.Started.Task.WithTimeout();
        Assert.Equal(SiloStatus.Active, silo.Status.Status);
        Assert.False(readiness.IsReady);
        Assert.Equal("WarmingUp", readiness.State);
        release.SetResult();
        await WarmUpOf(silo).Completion.WithTimeout();
        Assert.True(readiness.IsReady);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void StartupTaskTimeout_NotPositive_FailsValidation(int seconds)
    {
        var services = new ServiceCollection();
        services.AddClusterRuntime(o => o.StartupTaskTimeout = TimeSpan.FromSeconds(seconds));
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ClusterRuntimeOptions>>().Value);
    }

    [Fact]
    public void BroadcastTimeout_Zero_FailsValidation()
    {
        var services = new ServiceCollection();
        services.AddClusterRuntime();
        services.Configure<MessagingOptions>(o => o.BroadcastTimeout = TimeSpan.Zero);
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MessagingOptions>>().Value);
    }

    [Fact]
    public void Defaults_StartupTaskTimeout60SecondsAndBroadcastTimeout5Seconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(60), new ClusterRuntimeOptions().StartupTaskTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), new MessagingOptions().BroadcastTimeout);
    }

    private static SiloWarmUp WarmUpOf(TestSilo silo)
        => silo.Services.GetServices<IHostedService>().OfType<SiloHostedService>().Single().WarmUp!;

    private static Task<TestSilo> StartSiloAsync(params TestStartupTask[] tasks) => StartSiloAsync(tasks, logs: null);

    private static Task<TestSilo> StartSiloAsync(
        TestStartupTask[] tasks, ListLogger? logs, FakeTimeProvider? time = null, Action<ClusterRuntimeOptions>? runtime = null)
        => TestSilo.StartAsync(
            b => b.AddGrain<ProbeGrain>(ProbeGrain.Type),
            services =>
            {
                services.AddSingleton(new GrainProbe());
                if (logs is not null)
                {
                    services.AddLogging(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
                }

                foreach (var task in tasks)
                {
                    services.AddSingleton<ISiloStartupTask>(task);
                }
            },
            timeProvider: time,
            runtime: runtime);
}
