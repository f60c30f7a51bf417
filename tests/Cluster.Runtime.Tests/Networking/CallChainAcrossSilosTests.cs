using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>Call-chain reentrancy over the real transport: the chain id travels in the request frame.</summary>
public sealed class CallChainAcrossSilosTests
{
    [Fact]
    public async Task Cycle_AcrossSilos_WithoutScope_TimesOut()
    {
        await using var silos = await TwoSilos.StartAsync(o => o.ResponseTimeout = TimeSpan.FromSeconds(2));
        var a = silos.KeyOwnedBy(silos.First, HopGrain.Type, "a");
        var b = silos.KeyOwnedBy(silos.Second, HopGrain.Type, "b");

        var call = silos.First.GrainFactory.GetGrain(HopGrain.Type, a)
            .InvokeAsync<HopRequest, string>(new HopRequest(b + "," + a, HopMode.Plain)).AsTask();

        // B's call back into A waits behind A's turn until a response timeout: A's call to B or B's call to A, whichever
        // fires first (the second reaches A as B's error). Nothing is re-sent: B ran once.
        AssertTimedOut(await Record.ExceptionAsync(() => call.WaitAsync(TimeSpan.FromSeconds(30))));
        Assert.Equal([b], silos.Second.Services.GetRequiredService<HopLog>().Visits);
    }

    [Fact]
    public async Task Cycle_AcrossSilos_InScope_Completes()
    {
        await using var silos = await TwoSilos.StartAsync(o => o.ResponseTimeout = TimeSpan.FromSeconds(10));
        var a = silos.KeyOwnedBy(silos.First, HopGrain.Type, "a");
        var b = silos.KeyOwnedBy(silos.Second, HopGrain.Type, "b");
        var c = silos.KeyOwnedBy(silos.First, HopGrain.Type, "c");

        // a (silo 1, scope) → b (silo 2) → c (silo 1) → b (silo 2, waiting in the chain) → a (silo 1, opened it).
        var answer = await silos.First.GrainFactory.GetGrain(HopGrain.Type, a)
            .InvokeAsync<HopRequest, string>(new HopRequest(string.Join(',', b, c, b, a), HopMode.InScope))
            .AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(string.Join('>', a, b, c, b, a), answer);
    }

    [Fact]
    public async Task Cycle_AcrossSilos_AfterScopeDisposed_TimesOut()
    {
        await using var silos = await TwoSilos.StartAsync(o => o.ResponseTimeout = TimeSpan.FromSeconds(2));
        var a = silos.KeyOwnedBy(silos.First, HopGrain.Type, "a");
        var b = silos.KeyOwnedBy(silos.Second, HopGrain.Type, "b");

        var call = silos.First.GrainFactory.GetGrain(HopGrain.Type, a)
            .InvokeAsync<HopRequest, string>(new HopRequest(b + "," + a, HopMode.AfterScope)).AsTask();

        AssertTimedOut(await Record.ExceptionAsync(() => call.WaitAsync(TimeSpan.FromSeconds(30))));
    }

    private static void AssertTimedOut(Exception? error)
    {
        Assert.NotNull(error);
        if (error is RemoteGrainException remote)
        {
            Assert.Equal(typeof(TimeoutException).FullName, remote.ExceptionType);
        }
        else
        {
            Assert.IsType<TimeoutException>(error);
        }
    }
}
