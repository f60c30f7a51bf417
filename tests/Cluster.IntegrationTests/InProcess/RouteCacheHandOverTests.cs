using Cluster.IntegrationTests.Infrastructure;
using EdgeApp;

namespace Cluster.IntegrationTests.InProcess;

/// <summary>
/// Cached entries move with their route when its owner leaves (graceful stop) or a joining silo takes the route over,
/// so neither a drain nor a rolling restart turns the cache cold. Reads after the move go through a gateway started
/// after it too, whose near-cache is empty: what it serves comes from the new owners.
/// </summary>
[Collection(RouteCacheCollection.Name)]
public sealed class RouteCacheHandOverTests
{
    [Fact]
    public async Task GracefulStopOfTheOwner_EntriesMoveToTheNewOwners_NoRouteTurnsCold()
    {
        // Arrange: six cached routes (ISR and force-static) spread over the silos, each warm (HIT).
        var clock = new FakeTimeProvider();
        await using var cluster = await EdgeCluster.StartAsync(clock, gateways: 1);
        var key = EdgeCluster.NewKey();
        using var gateway = new GatewayClient(cluster.Gateways[0]);
        await WarmAsync(gateway, key, cluster);

        // Act: the silo owning the most of them (at least two of six on three silos) stops gracefully.
        var owners = EdgeCluster.SpreadRoutes.ToDictionary(r => r, r => cluster.OwnerOfRoute(EdgeCluster.SpreadPattern(r)));
        var leaving = owners.Values.GroupBy(static o => o).OrderByDescending(static g => g.Count()).First().Key;
        var moved = EdgeCluster.SpreadRoutes.Where(r => owners[r] == leaving).ToArray();
        await cluster.StopSiloAsync(leaving);
        await cluster.WaitForStableAsync();

        // Assert: every route answers from its entry, through the old gateway and a new one, and nothing rendered again.
        using var fresh = new GatewayClient(await cluster.AddGatewayAsync());
        await cluster.WaitForReadyAsync();
        var context = $"{leaving.Name} left owning {string.Join(", ", moved)}";
        await AssertStillWarmAsync([gateway, fresh], key, cluster, context);
        Assert.True(moved.Length >= 2, context);
        foreach (var route in moved)
        {
            var owner = cluster.OwnerOfRoute(EdgeCluster.SpreadPattern(route));
            Assert.True(owner != leaving && owner.ActivatedRoutes().Contains(EdgeCluster.SpreadPattern(route)), $"{context}: {route} not active on its new owner {owner.Name}");
        }
    }

    [Fact]
    public async Task RollingRestartOfEverySilo_KeepsEveryRouteWarm()
    {
        // Arrange: six cached routes, each warm.
        var clock = new FakeTimeProvider();
        await using var cluster = await EdgeCluster.StartAsync(clock, gateways: 1);
        var key = EdgeCluster.NewKey();
        using var gateway = new GatewayClient(cluster.Gateways[0]);
        await WarmAsync(gateway, key, cluster);

        // Act: the way a Deployment rolls — start the replacement (it takes over some routes), wait until it is ready,
        // stop the old one (its routes move on).
        foreach (var old in cluster.Silos.ToArray())
        {
            await cluster.AddSiloAsync();
            await cluster.WaitForStableAsync();
            await cluster.WaitForReadyAsync();
            await cluster.StopSiloAsync(old);
            await cluster.WaitForStableAsync();
        }

        // Assert: no silo of the start is left, yet every route still answers from its first render.
        Assert.All(cluster.Silos.Take(3), static s => Assert.True(s.IsStopped));
        using var fresh = new GatewayClient(await cluster.AddGatewayAsync());
        await cluster.WaitForReadyAsync();
        await AssertStillWarmAsync([gateway, fresh], key, cluster, "after a rolling restart");
    }

    private static async Task WarmAsync(GatewayClient gateway, string key, TestCluster cluster)
    {
        foreach (var route in EdgeCluster.SpreadRoutes)
        {
            var path = EdgeCluster.SpreadPath(route, key);
            CacheAssert.Reply(await gateway.GetAsync(path), "MISS", 1, cluster);
            CacheAssert.Reply(await gateway.GetAsync(path), "HIT", 1, cluster);
        }
    }

    private static async Task AssertStillWarmAsync(GatewayClient[] gateways, string key, TestCluster cluster, string context)
    {
        foreach (var route in EdgeCluster.SpreadRoutes)
        {
            var path = EdgeCluster.SpreadPath(route, key);
            foreach (var gateway in gateways)
            {
                CacheAssert.StaleOrHit(await gateway.GetAsync(path), 1, cluster, $"{context}: route {route} must not turn cold");
            }

            CacheAssert.True(ClusterCacheProbes.Renders(EdgeCluster.SpreadProbe(route, key)) == 1, () => $"{context}: route {route} rendered again\n{EdgeCluster.DescribeCacheLogs(cluster)}");
        }
    }
}
