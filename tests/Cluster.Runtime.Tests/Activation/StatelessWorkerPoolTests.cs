using Cluster.Runtime.Activation;
using Cluster.Runtime.Placement;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Activation;

public sealed class StatelessWorkerPoolTests
{
    [Fact]
    public async Task InvokeAsync_SequentialCalls_UseOneWorker()
    {
        var probe = new WorkerProbe();
        await using var silo = await StartSiloAsync(probe);
        var grain = silo.GrainFactory.GetGrain(StatelessWorkerGrain.Type, "calm");

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(1, await grain.InvokeAsync<WaitRequest, int>(new WaitRequest(new ConcurrencyTracker(), Task.CompletedTask)).WithTimeout());
        }

        Assert.Equal(1, probe.Activations);
        Assert.True(silo.Catalog.TryGetPool(grain.GrainId, out var pool));
        Assert.Single(pool.Workers);
        Assert.Equal(1, silo.Catalog.Count);
    }

    [Fact]
    public async Task InvokeAsync_CallWhileTheOnlyWorkerIsBusy_CreatesASecondWorkerAndLaterReusesTheIdleOne()
    {
        var probe = new WorkerProbe();
        await using var silo = await StartSiloAsync(probe);
        var grain = silo.GrainFactory.GetGrain(StatelessWorkerGrain.Type, "busy");
        var tracker = new ConcurrencyTracker();
        var holdFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holdSecond = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Act: the second call arrives while the first holds the only worker, so it gets a worker of its own.
        var first = grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, holdFirst.Task)).AsTask();
        await tracker.WhenEnteredAsync(1).WithTimeout();
        var second = grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, holdSecond.Task)).AsTask();
        await tracker.WhenEnteredAsync(2).WithTimeout();
        holdSecond.SetResult();
        var secondWorker = await second.WithTimeout();

        // The first worker is still busy; the second is idle again and takes the next call: no third worker.
        var third = await grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, Task.CompletedTask)).WithTimeout();

        // Assert
        Assert.Equal(2, tracker.Max);
        Assert.Equal(secondWorker, third);
        Assert.Equal(2, probe.Activations);
        holdFirst.SetResult();
        Assert.NotEqual(secondWorker, await first.WithTimeout());
        Assert.Equal(0, probe.Overlaps);
    }

    [Fact]
    public async Task InvokeAsync_ManyConcurrentCalls_GrowThePoolToItsMaxOnlyAndRunOneRequestPerWorker()
    {
        // Arrange: every call waits for the barrier, so each new call finds every worker busy.
        var probe = new WorkerProbe();
        await using var silo = await StartSiloAsync(probe);
        var grain = silo.GrainFactory.GetGrain(StatelessWorkerGrain.Type, "hot");
        var tracker = new ConcurrencyTracker();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Act
        var calls = Enumerable.Range(0, 30)
            .Select(_ => Task.Run(() => grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, release.Task)).AsTask()))
            .ToArray();
        await tracker.WhenEnteredAsync(StatelessWorkerGrain.MaxWorkers).WithTimeout();

        // Assert: a full pool, one running request per worker, the rest queued on them.
        Assert.True(silo.Catalog.TryGetPool(grain.GrainId, out var pool));
        Assert.Equal(StatelessWorkerGrain.MaxWorkers, pool.Workers.Count);
        Assert.Equal(StatelessWorkerGrain.MaxWorkers, silo.Catalog.Count);
        Assert.Equal(StatelessWorkerGrain.MaxWorkers, silo.Catalog.Activations.Count);
        release.SetResult();
        var workers = await Task.WhenAll(calls).WithTimeout();
        Assert.Equal(30, tracker.Entered);
        Assert.Equal(StatelessWorkerGrain.MaxWorkers, tracker.Max);
        Assert.Equal(0, probe.Overlaps);
        Assert.Equal(StatelessWorkerGrain.MaxWorkers, probe.Activations);
        Assert.Equal(Enumerable.Range(1, StatelessWorkerGrain.MaxWorkers), workers.Distinct().Order());
    }

    [Fact]
    public async Task InvokeAsync_ReentrantWorkers_InterleaveOnEachWorkerWithinAFullPool()
    {
        var probe = new WorkerProbe();
        await using var silo = await StartSiloAsync(probe);
        var grain = silo.GrainFactory.GetGrain(ReentrantStatelessWorkerGrain.Type, "reentrant");
        var tracker = new ConcurrencyTracker();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var calls = Enumerable.Range(0, 10)
            .Select(_ => grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, release.Task)).AsTask())
            .ToArray();

        // All ten run at once on a pool of two: each worker interleaves its requests.
        await tracker.WhenEnteredAsync(10).WithTimeout();
        Assert.True(silo.Catalog.TryGetPool(grain.GrainId, out var pool));
        Assert.Equal(ReentrantStatelessWorkerGrain.MaxWorkers, pool.Workers.Count);
        release.SetResult();
        var workers = await Task.WhenAll(calls).WithTimeout();
        Assert.Equal([1, 2], workers.Distinct().Order());
        Assert.Equal(ReentrantStatelessWorkerGrain.MaxWorkers, probe.Activations);
    }

    [Fact]
    public async Task InvokeAsync_TwoGrainIds_KeepAPoolEach()
    {
        var probe = new WorkerProbe();
        await using var silo = await StartSiloAsync(probe);
        var first = silo.GrainFactory.GetGrain(StatelessWorkerGrain.Type, "a");
        var second = silo.GrainFactory.GetGrain(StatelessWorkerGrain.Type, "b");

        await first.InvokeAsync<WaitRequest, int>(new WaitRequest(new ConcurrencyTracker(), Task.CompletedTask)).WithTimeout();
        await second.InvokeAsync<WaitRequest, int>(new WaitRequest(new ConcurrencyTracker(), Task.CompletedTask)).WithTimeout();

        Assert.True(silo.Catalog.TryGetPool(first.GrainId, out var firstPool));
        Assert.True(silo.Catalog.TryGetPool(second.GrainId, out var secondPool));
        Assert.NotSame(firstPool, secondPool);
        Assert.Equal(2, silo.Catalog.Count);
        Assert.False(silo.Catalog.TryGet(first.GrainId, out _));
    }

    [Fact]
    public async Task CollectIdleAsync_IdleWorkersGo_ABusyWorkerStays_AndTheNextCallStartsANewPool()
    {
        // Arrange: a pool of three, one of them kept busy.
        var time = new FakeTimeProvider();
        var probe = new WorkerProbe();
        await using var silo = await StartSiloAsync(probe, time);
        var grain = silo.GrainFactory.GetGrain(StatelessWorkerGrain.Type, "collect");
        var tracker = new ConcurrencyTracker();
        var holdBusy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holdOthers = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var busy = grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, holdBusy.Task)).AsTask();
        await tracker.WhenEnteredAsync(1).WithTimeout();
        var others = Enumerable.Range(0, 2).Select(_ => grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, holdOthers.Task)).AsTask()).ToArray();
        await tracker.WhenEnteredAsync(3).WithTimeout();
        holdOthers.SetResult();
        await Task.WhenAll(others).WithTimeout();
        Assert.True(silo.Catalog.TryGetPool(grain.GrainId, out var pool));
        var workers = pool.Workers.ToArray();
        Assert.Equal(3, workers.Length);

        // Act: past the collection age.
        time.Advance(TimeSpan.FromMinutes(2));
        await probe.WhenDeactivatedAsync(2).WithTimeout();
        await Task.WhenAll(workers.Select(static w => w.Deactivation)).WithTimeout();

        // Assert: the two idle workers are gone, the busy one serves on.
        Assert.Equal([DeactivationReason.ActivationIdle, DeactivationReason.ActivationIdle], probe.Deactivations);
        var survivor = Assert.Single(pool.Workers);
        Assert.Equal(ActivationState.Valid, survivor.State);
        Assert.Equal(1, silo.Catalog.Count);
        holdBusy.SetResult();
        Assert.Equal(1, await busy.WithTimeout());

        // Once the last worker idles out the pool is gone, and the next call starts a fresh one.
        time.Advance(TimeSpan.FromMinutes(2));
        await probe.WhenDeactivatedAsync(3).WithTimeout();
        await survivor.Deactivation.WithTimeout();
        Assert.False(silo.Catalog.TryGetPool(grain.GrainId, out _));
        Assert.Equal(0, silo.Catalog.Count);
        Assert.Equal(4, await grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, Task.CompletedTask)).WithTimeout());
    }

    [Fact]
    public async Task StopAsync_BusyWorkers_DrainTheirRequestsThenEveryWorkerIsDeactivated()
    {
        // Arrange: three busy workers with more requests queued on them.
        var probe = new WorkerProbe();
        var silo = await StartSiloAsync(probe);
        var grain = silo.GrainFactory.GetGrain(StatelessWorkerGrain.Type, "drain");
        var tracker = new ConcurrencyTracker();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 6).Select(_ => grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, release.Task)).AsTask()).ToArray();
        await tracker.WhenEnteredAsync(StatelessWorkerGrain.MaxWorkers).WithTimeout();

        // Act
        var stopping = silo.StopAsync();

        // Assert: new calls are refused, the stop waits for the workers' requests, then deactivates all of them.
        await Assert.ThrowsAsync<SiloUnavailableException>(
            () => grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, Task.CompletedTask)).WithTimeout());
        Assert.False(stopping.IsCompleted);
        Assert.Empty(probe.Deactivations);

        // Give the stop time to go wrong (deactivating workers that still hold requests would refuse the queued ones).
        await Task.WhenAny(stopping, Task.Delay(TimeSpan.FromSeconds(1)));
        Assert.False(stopping.IsCompleted);
        Assert.All(silo.Catalog.Activations, static w => Assert.Equal(ActivationState.Valid, w.State));
        release.SetResult();
        await Task.WhenAll(calls).WithTimeout();
        await stopping.WithTimeout();
        Assert.Equal(6, tracker.Entered);
        Assert.Equal(Enumerable.Repeat(DeactivationReason.ShuttingDown, StatelessWorkerGrain.MaxWorkers), probe.Deactivations);
        Assert.Equal(0, silo.Catalog.Count);
        await silo.DisposeAsync();
    }

    [Fact]
    public async Task InvokeAsync_TypeDeclaredWithAddStatelessWorkerPlacement_IsPooledWithoutTheAttribute()
    {
        await using var silo = await TestSilo.StartAsync(
            static b => b.AddGrain<WaitingGrain>(WaitingGrain.Type),
            static services => services.AddStatelessWorkerPlacement(WaitingGrain.Type));
        var grain = silo.GrainFactory.GetGrain(WaitingGrain.Type, "declared");
        var tracker = new ConcurrencyTracker();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // WaitingGrain is not reentrant: two requests running at once means two activations.
        var calls = Enumerable.Range(0, 2).Select(_ => grain.InvokeAsync<WaitRequest, int>(new WaitRequest(tracker, release.Task)).AsTask()).ToArray();
        await tracker.WhenEnteredAsync(2).WithTimeout();

        Assert.Equal(2, silo.Catalog.Count);
        release.SetResult();
        await Task.WhenAll(calls).WithTimeout();
    }

    [Fact]
    public void GrainTypeRegistration_ReadsTheAttribute_AndAnUnsizedPoolHasOneWorkerPerProcessor()
    {
        var sized = new GrainTypeRegistration(StatelessWorkerGrain.Type, typeof(StatelessWorkerGrain));
        var unsized = new GrainTypeRegistration(DefaultStatelessWorkerGrain.Type, typeof(DefaultStatelessWorkerGrain));
        var ordinary = new GrainTypeRegistration(ProbeGrain.Type, typeof(ProbeGrain));

        Assert.True(sized.IsStatelessWorker);
        Assert.Equal(StatelessWorkerGrain.MaxWorkers, sized.MaxLocalWorkers);
        Assert.False(sized.IsReentrant);
        Assert.Equal(Environment.ProcessorCount, unsized.MaxLocalWorkers);
        Assert.False(ordinary.IsStatelessWorker);
        Assert.Equal(0, ordinary.MaxLocalWorkers);
        Assert.True(ordinary.AsStatelessWorker().IsStatelessWorker);
        Assert.Throws<ArgumentOutOfRangeException>(static () => new StatelessWorkerAttribute(-1));
    }

    private static Task<TestSilo> StartSiloAsync(WorkerProbe probe, FakeTimeProvider? time = null)
        => TestSilo.StartAsync(
            static b => b
                .AddGrain<StatelessWorkerGrain>(StatelessWorkerGrain.Type)
                .AddGrain<ReentrantStatelessWorkerGrain>(ReentrantStatelessWorkerGrain.Type),
            services => services.AddSingleton(probe),
            time,
            collection: time is null ? null : static o =>
            {
                o.CollectionAge = TimeSpan.FromMinutes(1);
                o.CollectionQuantum = TimeSpan.FromSeconds(10);
            });
}
