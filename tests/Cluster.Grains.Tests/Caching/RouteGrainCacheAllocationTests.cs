using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Grains.Tests.TestInfrastructure;
using Cluster.Routing;
using Cluster.Routing.Wire;
using Cluster.Runtime;

namespace Cluster.Grains.Tests.Caching;

public sealed class RouteGrainCacheAllocationTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(60)]
    public async Task InvokeAsync_WarmCachedHit_AllocatesNothing(int? revalidate)
    {
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/hot/[id]", RouteMethods.Get, static (_, _, _) => ValueTask.FromResult<RouteResponse?>(RouteResponse.Text("cached")),
                new RouteConfig { Dynamic = DynamicMode.ForceStatic, Revalidate = revalidate }));
        var invocation = RouteSilo.Invocation("/hot/[id]", @params: RouteParams.Of(("id", "1")), path: "/hot/1");
        var miss = await silo.ReplyAsync(invocation);

        var allocated = MeasureHits(silo.GrainFactory, invocation);

        Assert.Equal(RouteCacheStatus.Miss, miss.Cache);
        Assert.Equal(0, allocated);
    }

    // Synchronous on purpose: GC.GetAllocatedBytesForCurrentThread only sees this thread.
    private static long MeasureHits(IGrainFactory factory, RouteInvocation invocation)
    {
        for (var i = 0; i < 100; i++)
        {
            Consume(factory.GetRouteGrain(invocation.Pattern).InvokeAsync(invocation));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Consume(factory.GetRouteGrain(invocation.Pattern).InvokeAsync(invocation));
        }

        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    private static void Consume(ValueTask<RouteReply> pending)
    {
        // Checked without Assert, whose generic comparisons would show up in the measurement.
        if (!pending.IsCompletedSuccessfully || pending.Result.Cache != RouteCacheStatus.Hit)
        {
            Assert.Fail("A warm HIT must complete synchronously as a HIT.");
        }
    }
}
