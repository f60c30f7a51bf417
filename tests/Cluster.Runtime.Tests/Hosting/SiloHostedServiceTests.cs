using Cluster.Runtime.Hosting;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Tests.Hosting;

public sealed class SiloHostedServiceTests
{
    [Fact]
    public async Task StartAsync_SiloBecomesActiveAndReady()
    {
        await using var silo = await StartSiloAsync(new GrainProbe());

        Assert.Equal(SiloStatus.Active, silo.Status.Status);
        Assert.True(silo.Status.IsReady);
        Assert.StartsWith("127.0.0.1:11111@", silo.Status.SiloAddress.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StopAsync_CallInFlight_DrainsItRejectsNewCallsThenDeactivatesAndDies()
    {
        // Arrange: one call is running when the stop begins.
        var probe = new GrainProbe();
        var silo = await StartSiloAsync(probe);
        var grain = silo.GrainFactory.GetGrain(ProbeGrain.Type, "drain");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inFlight = grain.InvokeAsync<RecordRequest, int>(new RecordRequest(1, release.Task, started)).AsTask();
        await started.Task.WithTimeout();

        // Act
        var stopping = silo.StopAsync();

        // Assert: readiness is off and new calls are refused at once, while the running call continues.
        Assert.Equal(SiloStatus.ShuttingDown, silo.Status.Status);
        Assert.False(silo.Status.IsReady);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => grain.InvokeAsync<RecordRequest, int>(new RecordRequest(2)).WithTimeout());
        await Assert.ThrowsAsync<SiloUnavailableException>(
            () => silo.GrainFactory.GetGrain(ProbeGrain.Type, "new").InvokeAsync<RecordRequest, int>(new RecordRequest(3)).WithTimeout());
        Assert.False(stopping.IsCompleted);
        Assert.Equal(0, probe.Deactivations);

        release.SetResult();
        Assert.Equal(1, await inFlight.WithTimeout());
        await stopping.WithTimeout();
        Assert.Equal(SiloStatus.Dead, silo.Status.Status);
        Assert.Equal(DeactivationReason.ShuttingDown, await probe.Deactivated.Task.WithTimeout());
        Assert.Equal(0, silo.Catalog.Count);
        Assert.Equal([1], probe.Handled);
        await silo.DisposeAsync();
    }

    [Fact]
    public void TryAdvance_Backwards_IsRefused()
    {
        var sut = new LocalSiloStatus(Options.Create(new SiloOptions()), TimeProvider.System);

        Assert.True(sut.TryAdvance(SiloStatus.Active));
        Assert.False(sut.TryAdvance(SiloStatus.Joining));
        Assert.True(sut.TryAdvance(SiloStatus.Dead));
        Assert.False(sut.TryAdvance(SiloStatus.Active));
        Assert.Equal(SiloStatus.Dead, sut.Status);
    }

    [Fact]
    public void AddGrain_SameGrainTypeForTwoClasses_Throws()
    {
        var builder = new ServiceCollection().AddClusterRuntime().AddGrain<ProbeGrain>(ProbeGrain.Type);

        Assert.Throws<InvalidOperationException>(() => builder.AddGrain<CounterGrain>(ProbeGrain.Type));
    }

    [Fact]
    public void AddClusterRuntime_InvalidOptions_FailValidation()
    {
        var services = new ServiceCollection();
        services.AddClusterRuntime(o => o.DrainTimeout = TimeSpan.FromHours(1));
        using var provider = services.BuildServiceProvider();

        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ClusterRuntimeOptions>>().Value);
    }

    private static Task<TestSilo> StartSiloAsync(GrainProbe probe)
        => TestSilo.StartAsync(b => b.AddGrain<ProbeGrain>(ProbeGrain.Type), services => services.AddSingleton(probe));
}
