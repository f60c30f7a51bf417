using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Activation;

/// <summary>Call-chain reentrancy in one process (the local call path), orleans-runtime.md §3.4 and §3.6.</summary>
public sealed class CallChainReentrancyTests
{
    // Long enough that a cycle that could complete would (it takes milliseconds), short enough to keep the suite quick.
    private static readonly TimeSpan s_deadlockWait = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Cycle_WithoutScope_WaitsForeverLikeOrleans()
    {
        await using var silo = await StartAsync();
        using var cancel = new CancellationTokenSource();
        var call = Hop(silo, "a", "b,a", HopMode.Plain, cancel.Token);

        await Assert.ThrowsAsync<TimeoutException>(() => call.WaitAsync(s_deadlockWait));
        Assert.Equal(["a", "b"], silo.Services.GetRequiredService<HopLog>().Visits);

        // Cancelling abandons B's queued call back into A, which unwinds the cycle.
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WithTimeout());
    }

    [Fact]
    public async Task Cycle_InScope_Completes()
    {
        await using var silo = await StartAsync();

        var answer = await Hop(silo, "a", "b,a", HopMode.InScope).WithTimeout();

        Assert.Equal("a>b>a", answer);
    }

    [Fact]
    public async Task Cycle_InScope_IsTransitive_AGrainInTheMiddleOfTheChainIsReenteredToo()
    {
        await using var silo = await StartAsync();

        // A opens the scope; B and C never do, yet C's call back into B (which waits in the chain) runs.
        var answer = await Hop(silo, "a", "b,c,b,a", HopMode.InScope).WithTimeout();

        Assert.Equal("a>b>c>b>a", answer);
    }

    [Fact]
    public async Task Cycle_AfterScopeDisposed_IdDoesNotLeak()
    {
        await using var silo = await StartAsync();
        using var cancel = new CancellationTokenSource();
        var call = Hop(silo, "a", "b,a", HopMode.AfterScope, cancel.Token);

        await Assert.ThrowsAsync<TimeoutException>(() => call.WaitAsync(s_deadlockWait));

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WithTimeout());
    }

    [Fact]
    public async Task Scope_FromAnotherGrainsTurn_DoesNotLetUnrelatedChainsIntoAGrain()
    {
        await using var silo = await StartAsync();
        using var cancel = new CancellationTokenSource();

        // A (scope X) → B → A passes; a separate plain cycle C → D → C in the meantime still waits.
        var blocked = Hop(silo, "c", "d,c", HopMode.Plain, cancel.Token);
        var passes = await Hop(silo, "a", "b,a", HopMode.InScope).WithTimeout();

        Assert.Equal("a>b>a", passes);
        await Assert.ThrowsAsync<TimeoutException>(() => blocked.WaitAsync(s_deadlockWait));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked.WithTimeout());
    }

    [Fact]
    public async Task AllowCallChainReentrancy_RestoresThePreviousIdOnDispose_AndNestedScopesShareTheChain()
    {
        Assert.Equal(0, RequestContext.CallChainId);
        long outer;
        using (var scope = RequestContext.AllowCallChainReentrancy())
        {
            outer = scope.CallChainId;
            Assert.NotEqual(0, outer);
            Assert.Equal(outer, RequestContext.CallChainId);
            using (var nested = RequestContext.AllowCallChainReentrancy())
            {
                Assert.Equal(outer, nested.CallChainId);
            }

            Assert.Equal(outer, RequestContext.CallChainId);
            await Task.Yield();
            Assert.Equal(outer, RequestContext.CallChainId);
        }

        Assert.Equal(0, RequestContext.CallChainId);
        using (var next = RequestContext.AllowCallChainReentrancy())
        {
            Assert.NotEqual(outer, next.CallChainId);
        }
    }

    [Fact]
    public async Task AllowCallChainReentrancy_InACalledAsyncMethod_DoesNotLeakToItsCaller()
    {
        await OpenWithoutDisposingAsync();

        Assert.Equal(0, RequestContext.CallChainId);
    }

    private static async Task OpenWithoutDisposingAsync()
    {
        _ = RequestContext.AllowCallChainReentrancy();
        await Task.Yield();
        Assert.NotEqual(0, RequestContext.CallChainId);
    }

    private static Task<TestSilo> StartAsync()
        => TestSilo.StartAsync(
            builder => builder.AddGrain<HopGrain>(HopGrain.Type),
            services => services.AddSingleton<HopLog>());

    private static Task<string> Hop(TestSilo silo, string key, string route, HopMode mode, CancellationToken cancellationToken = default)
        => silo.GrainFactory.GetGrain(HopGrain.Type, key).InvokeAsync<HopRequest, string>(new HopRequest(route, mode), cancellationToken).AsTask();
}
