using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Activation;

public sealed class ActivationCollectorTests
{
    [Fact]
    public async Task PeriodicScan_ActivationIdleLongerThanAge_IsDeactivatedAndNextCallReactivates()
    {
        var time = new FakeTimeProvider();
        var probe = new GrainProbe();
        await using var silo = await StartSiloAsync(time, probe);
        var grain = silo.GrainFactory.GetGrain(ProbeGrain.Type, "idle");
        await grain.InvokeAsync<RecordRequest, int>(new RecordRequest(1)).WithTimeout();

        time.Advance(TimeSpan.FromMinutes(2));
        var reason = await probe.Deactivated.Task.WithTimeout();
        await grain.InvokeAsync<RecordRequest, int>(new RecordRequest(2)).WithTimeout();

        Assert.Equal(DeactivationReason.ActivationIdle, reason);
        Assert.Equal(2, probe.Activations);
    }

    [Fact]
    public async Task CollectIdleAsync_ActivationYoungerThanAge_IsKept()
    {
        var time = new FakeTimeProvider();
        var probe = new GrainProbe();
        await using var silo = await StartSiloAsync(time, probe);
        await silo.GrainFactory.GetGrain(ProbeGrain.Type, "young").InvokeAsync<RecordRequest, int>(new RecordRequest(1)).WithTimeout();

        time.Advance(TimeSpan.FromSeconds(30));
        var collected = await silo.Collector.CollectIdleAsync().WithTimeout();

        Assert.Equal(0, collected);
        Assert.Equal(1, silo.Catalog.Count);
    }

    [Fact]
    public async Task CollectIdleAsync_ActivationWithCallInFlight_IsNotCollectedUntilIdle()
    {
        var time = new FakeTimeProvider();
        var probe = new GrainProbe();
        await using var silo = await StartSiloAsync(time, probe);
        var grain = silo.GrainFactory.GetGrain(ProbeGrain.Type, "busy");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var call = grain.InvokeAsync<RecordRequest, int>(new RecordRequest(1, release.Task, started)).AsTask();
        await started.Task.WithTimeout();

        time.Advance(TimeSpan.FromMinutes(20));
        var collectedWhileBusy = await silo.Collector.CollectIdleAsync().WithTimeout();

        Assert.Equal(0, collectedWhileBusy);
        Assert.Equal(0, probe.Deactivations);
        release.SetResult();
        Assert.Equal(1, await call.WithTimeout());
        time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(DeactivationReason.ActivationIdle, await probe.Deactivated.Task.WithTimeout());
    }

    private static Task<TestSilo> StartSiloAsync(FakeTimeProvider time, GrainProbe probe)
        => TestSilo.StartAsync(
            b => b.AddGrain<ProbeGrain>(ProbeGrain.Type),
            services => services.AddSingleton(probe),
            time,
            collection: o =>
            {
                o.CollectionAge = TimeSpan.FromMinutes(1);
                o.CollectionQuantum = TimeSpan.FromSeconds(10);
            });
}
