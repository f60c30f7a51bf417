using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Activation;

public sealed class ActivationCatalogTests
{
    [Fact]
    public async Task InvokeAsync_1000ConcurrentFirstCalls_ActivatesOnce()
    {
        // Arrange: hold the activation open so the calls pile up while it runs.
        var probe = new GrainProbe { ActivationGate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var silo = await StartSiloAsync(probe);
        var grain = silo.GrainFactory.GetGrain(ProbeGrain.Type, "one");

        // Act
        var calls = Enumerable.Range(0, 1000)
            .Select(i => Task.Run(() => grain.InvokeAsync<RecordRequest, int>(new RecordRequest(i)).AsTask()))
            .ToArray();
        await probe.ActivationStarted.Task.WithTimeout();
        probe.ActivationGate.SetResult();
        var results = await Task.WhenAll(calls).WithTimeout();

        // Assert
        Assert.Equal(1, probe.Activations);
        Assert.Equal(Enumerable.Range(0, 1000), results.Order());
        Assert.Equal(1, silo.Catalog.Count);
    }

    [Fact]
    public async Task InvokeAsync_CallsArriveDuringActivation_RunAfterItInArrivalOrder()
    {
        var probe = new GrainProbe { ActivationGate = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        await using var silo = await StartSiloAsync(probe);
        var grain = silo.GrainFactory.GetGrain(ProbeGrain.Type, "ordered");

        var calls = Enumerable.Range(0, 100).Select(i => grain.InvokeAsync<RecordRequest, int>(new RecordRequest(i)).AsTask()).ToArray();
        await probe.ActivationStarted.Task.WithTimeout();
        Assert.Empty(probe.Handled);
        probe.ActivationGate.SetResult();
        await Task.WhenAll(calls).WithTimeout();

        Assert.Equal(Enumerable.Range(0, 100), probe.Handled);
    }

    [Fact]
    public async Task InvokeAsync_OnActivateAsyncThrows_CallerGetsErrorAndNextCallRetries()
    {
        var probe = new GrainProbe();
        probe.FailNextActivations(1);
        await using var silo = await StartSiloAsync(probe);
        var grain = silo.GrainFactory.GetGrain(ProbeGrain.Type, "flaky");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.InvokeAsync<RecordRequest, int>(new RecordRequest(1)).WithTimeout());
        var retried = await grain.InvokeAsync<RecordRequest, int>(new RecordRequest(2)).WithTimeout();

        Assert.Equal("Activation failed on purpose.", error.Message);
        Assert.Equal(2, retried);
        Assert.Equal(2, probe.Activations);
        Assert.Equal([2], probe.Handled);
    }

    [Fact]
    public async Task InvokeAsync_UnregisteredGrainType_Throws()
    {
        await using var silo = await StartSiloAsync(new GrainProbe());
        var grain = silo.GrainFactory.GetGrain(new GrainType("nope"), "k");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.InvokeAsync<RecordRequest, int>(new RecordRequest(1)).WithTimeout());

        Assert.Contains("'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_RequestTypeNotHandled_Throws()
    {
        await using var silo = await StartSiloAsync(new GrainProbe());
        var grain = silo.GrainFactory.GetGrain(ProbeGrain.Type, "k");

        await Assert.ThrowsAsync<InvalidOperationException>(() => grain.InvokeAsync<Ping, int>(new Ping(1)).WithTimeout());
    }

    [Fact]
    public async Task InvokeAsync_QueuedCallCancelled_CompletesCancelledWithoutRunning()
    {
        var probe = new GrainProbe();
        await using var silo = await StartSiloAsync(probe);
        var grain = silo.GrainFactory.GetGrain(ProbeGrain.Type, "busy");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = grain.InvokeAsync<RecordRequest, int>(new RecordRequest(1, release.Task, started)).AsTask();
        await started.Task.WithTimeout();
        using var cancel = new CancellationTokenSource();

        var queued = grain.InvokeAsync<RecordRequest, int>(new RecordRequest(2), cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.WithTimeout());
        release.SetResult();
        Assert.Equal(1, await first.WithTimeout());
        Assert.Equal(3, await grain.InvokeAsync<RecordRequest, int>(new RecordRequest(3)).WithTimeout());
        Assert.Equal([1, 3], probe.Handled);
    }

    [Fact]
    public async Task DeactivateOnIdle_NextCall_GoesToANewActivation()
    {
        var probe = new GrainProbe();
        await using var silo = await StartSiloAsync(probe);
        var grain = silo.GrainFactory.GetGrain(ProbeGrain.Type, "self");

        await grain.InvokeAsync<DeactivateSelfRequest, int>(new DeactivateSelfRequest()).WithTimeout();
        var next = await grain.InvokeAsync<RecordRequest, int>(new RecordRequest(7)).WithTimeout();

        Assert.Equal(7, next);
        Assert.Equal(DeactivationReason.ApplicationRequested, await probe.Deactivated.Task.WithTimeout());
        Assert.Equal(2, probe.Activations);
    }

    [Fact]
    public async Task DeactivateAsync_CallsQueuedMeanwhile_RunOnTheNextActivationInOrder()
    {
        // Arrange: a running call holds the activation while it is told to deactivate and more calls arrive.
        var probe = new GrainProbe();
        await using var silo = await StartSiloAsync(probe);
        var grain = silo.GrainFactory.GetGrain(ProbeGrain.Type, "moving");
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = grain.InvokeAsync<RecordRequest, int>(new RecordRequest(1, release.Task, started)).AsTask();
        await started.Task.WithTimeout();
        Assert.True(silo.Catalog.TryGet(grain.GrainId, out var first));

        // Act
        var deactivation = first.DeactivateAsync(DeactivationReason.ApplicationRequested, CancellationToken.None);
        var queued = Enumerable.Range(2, 10).Select(i => grain.InvokeAsync<RecordRequest, int>(new RecordRequest(i)).AsTask()).ToArray();
        Assert.Equal(0, probe.Deactivations);
        release.SetResult();
        await deactivation.WithTimeout();
        var results = await Task.WhenAll(queued).WithTimeout();

        // Assert
        Assert.Equal(1, await running.WithTimeout());
        Assert.Equal(Enumerable.Range(2, 10), results);
        Assert.Equal(Enumerable.Range(1, 11), probe.Handled);
        Assert.Equal(2, probe.Activations);
        Assert.True(silo.Catalog.TryGet(grain.GrainId, out var second));
        Assert.NotEqual(first.ActivationId, second.ActivationId);
    }

    private static Task<TestSilo> StartSiloAsync(GrainProbe probe)
        => TestSilo.StartAsync(
            b => b.AddGrain<ProbeGrain>(ProbeGrain.Type),
            services => services.AddSingleton(probe));
}
