using Cluster.Runtime.Identity;

using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;

namespace Cluster.Runtime.Tests.Messaging;

public sealed class AllocationTests
{
    [Fact]
    public async Task InvokeAsync_WarmReentrantGrainCompletingSynchronously_AllocatesNothing()
    {
        await using var silo = await TestSilo.StartAsync(b => b.AddGrain<EchoGrain>(EchoGrain.Type));
        var factory = silo.GrainFactory;
        await factory.GetGrain(EchoGrain.Type, "hot").InvokeAsync<Ping, int>(new Ping(0)).WithTimeout();

        var allocated = MeasureCalls(factory, EchoGrain.Type, static (grain, i) => grain.InvokeAsync<Ping, int>(new Ping(i)));

        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task InvokeAsync_WarmAlwaysInterleaveRequestCompletingSynchronously_AllocatesNothing()
    {
        await using var silo = await TestSilo.StartAsync(b => b.AddGrain<PeekGrain>(PeekGrain.Type));
        var factory = silo.GrainFactory;
        await factory.GetGrain(PeekGrain.Type, "hot").InvokeAsync<Peek, int>(new Peek(0)).WithTimeout();

        var allocated = MeasureCalls(factory, PeekGrain.Type, static (grain, i) => grain.InvokeAsync<Peek, int>(new Peek(i)));

        Assert.Equal(0, allocated);
    }

    // Synchronous on purpose: GC.GetAllocatedBytesForCurrentThread only sees this thread.
    private static long MeasureCalls(IGrainFactory factory, GrainType type, Func<GrainReference, int, ValueTask<int>> call)
    {
        for (var i = 0; i < 100; i++)
        {
            Consume(call(factory.GetGrain(type, "hot"), i));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Consume(call(factory.GetGrain(type, "hot"), i));
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static void Consume(ValueTask<int> pending)
    {
        Assert.True(pending.IsCompletedSuccessfully);
        _ = pending.Result;
    }
}
