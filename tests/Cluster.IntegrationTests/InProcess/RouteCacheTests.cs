using System.Net;
using Cluster.IntegrationTests.Infrastructure;
using EdgeApp;

namespace Cluster.IntegrationTests.InProcess;

/// <summary>
/// Cached GET responses on a 3-silo cluster, through gateways without silos: one owner per route makes regeneration
/// single-flight cluster-wide, a tag revalidation from any silo reaches every owner and every gateway copy before it
/// returns, static params are rendered before the cluster is ready, and a failing regeneration keeps the stale body.
/// Cache time is one manual clock shared by every process; renders are counted by the edge app's cluster-cache routes.
/// </summary>
[Collection(RouteCacheCollection.Name)]
public sealed class RouteCacheTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task StaleEntry_100ConcurrentGetsThroughTwoGateways_RegenerateExactlyOnce()
    {
        // Arrange: an ISR entry (60 s) rendered once and copied into both gateways' near-caches.
        var clock = new FakeTimeProvider();
        await using var cluster = await EdgeCluster.StartAsync(clock, gateways: 2);
        using var first = new GatewayClient(cluster.Gateways[0]);
        using var second = new GatewayClient(cluster.Gateways[1]);
        var key = EdgeCluster.NewKey();
        var path = EdgeCluster.IsrPath(key);
        var probe = EdgeCluster.IsrProbe(key);

        var miss = await first.GetAsync(path);
        CacheAssert.Reply(miss, "MISS", 1, cluster);
        Assert.True(miss.CacheControl?.SharedMaxAge == TimeSpan.FromSeconds(60), $"{miss}");
        Assert.True(
            miss.CacheControl!.Extensions.Any(static e => e.Name == "stale-while-revalidate" && e.Value == "31535940"),
            $"ISR Cache-Control must be s-maxage=60, stale-while-revalidate=31535940: {miss}");
        CacheAssert.Reply(await first.GetAsync(path), "HIT", 1, cluster);
        CacheAssert.Reply(await second.GetAsync(path), "HIT", 1, cluster);
        CacheAssert.Reply(await second.GetAsync(path), "HIT", 1, cluster);

        // Act: the entry turns stale (on every process's clock, near-cache copies included); its regeneration is held
        // at a gate while 100 requests arrive through both gateways.
        clock.Advance(TimeSpan.FromSeconds(61));
        ClusterCacheProbes.Close(probe);
        CachedReply[] replies;
        try
        {
            replies = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => (i % 2 == 0 ? first : second).GetAsync(path))).WaitAsync(TimeSpan.FromSeconds(90));

            // Assert: every one is served at once from the stale entry — none waits for the held render, none renders.
            var unexpected = replies.Where(static r => r.Status != HttpStatusCode.OK || r.Cache is not ("STALE" or "HIT") || r.Render != 1).ToArray();
            CacheAssert.True(unexpected.Length == 0, () => $"{unexpected.Length} of 100 not a STALE/HIT of render 1:\n{string.Join("\n", unexpected.Take(10))}\n{EdgeCluster.DescribeCacheLogs(cluster)}");
            Assert.Contains(replies, static r => r.Cache == "STALE");

            // One regeneration started (it is held); no request started another.
            await EdgeCluster.WaitUntilAsync(() => ClusterCacheProbes.Renders(probe) >= 2, s_wait, () => $"no regeneration started\n{EdgeCluster.DescribeCacheLogs(cluster)}");
            CacheAssert.True(ClusterCacheProbes.Renders(probe) == 2, () => $"renders: {ClusterCacheProbes.Renders(probe)} (1 + one regeneration expected)\n{EdgeCluster.DescribeCacheLogs(cluster)}");
        }
        finally
        {
            ClusterCacheProbes.Open(probe);
        }

        // Assert: the regenerated entry replaces the stale one, and still only one regeneration ran.
        CachedReply latest = miss;
        await EdgeCluster.WaitUntilAsync(
            async () =>
            {
                latest = await first.GetAsync(path);
                CacheAssert.True(latest.Status == HttpStatusCode.OK && latest.Render is 1 or 2, () => $"{latest}\n{EdgeCluster.DescribeCacheLogs(cluster)}");
                return latest.Render == 2;
            },
            s_wait,
            () => $"render 2 never served; last {latest}\n{EdgeCluster.DescribeCacheLogs(cluster)}");
        CacheAssert.Reply(await first.GetAsync(path), "HIT", 2, cluster);
        CacheAssert.Reply(await second.GetAsync(path), "HIT", 2, cluster);
        CacheAssert.True(ClusterCacheProbes.Renders(probe) == 2, () => $"renders: {ClusterCacheProbes.Renders(probe)}\n{EdgeCluster.DescribeCacheLogs(cluster)}");
    }

    [Fact]
    public async Task RevalidateTag_FromAHandlerOnOneSilo_DropsEntriesOfOtherOwnersAndEveryGatewayCopy_BeforeItReturns()
    {
        // Arrange: six tagged routes; the revalidating POST goes to one owned by silo A while other tagged routes are
        // owned by other silos. (Placement hashes silo addresses that change every run: all six on one silo, about 0.4%
        // of runs, gets a new cluster.)
        var clock = new FakeTimeProvider();
        var (started, caller, owners) = await StartWithSpreadOwnersAsync(clock);
        await using var cluster = started;
        using var first = new GatewayClient(cluster.Gateways[0]);
        using var second = new GatewayClient(cluster.Gateways[1]);
        var key = EdgeCluster.NewKey();
        var describeOwners = string.Join(", ", EdgeCluster.SpreadRoutes.Select(r => $"{r}@{owners[r].Name}"));
        Assert.True(EdgeCluster.SpreadRoutes.Any(r => owners[r] != owners[caller]), $"every tagged route on one silo: {describeOwners}");

        // Per route: a path both gateways hold a copy of, and a path each gateway alone holds.
        foreach (var route in EdgeCluster.SpreadRoutes)
        {
            var shared = EdgeCluster.SpreadPath(route, key);
            CacheAssert.Reply(await first.GetAsync(shared), "MISS", 1, cluster);
            CacheAssert.Reply(await first.GetAsync(shared), "HIT", 1, cluster);
            CacheAssert.Reply(await second.GetAsync(shared), "HIT", 1, cluster);
            CacheAssert.Reply(await second.GetAsync(shared), "HIT", 1, cluster);
            CacheAssert.Reply(await first.GetAsync(shared + "-1"), "MISS", 1, cluster);
            CacheAssert.Reply(await first.GetAsync(shared + "-1"), "HIT", 1, cluster);
            CacheAssert.Reply(await second.GetAsync(shared + "-2"), "MISS", 1, cluster);
            CacheAssert.Reply(await second.GetAsync(shared + "-2"), "HIT", 1, cluster);
        }

        Assert.All(EdgeCluster.SpreadRoutes, r => Assert.Contains(EdgeCluster.SpreadPattern(r), owners[r].ActivatedRoutes()));

        // Act: a handler on silo A revalidates the tag.
        var post = await first.PostAsync(EdgeCluster.SpreadPath(caller, key + "-post"));
        CacheAssert.True(post.Status == HttpStatusCode.OK, () => $"POST {(int)post.Status} {post.Body}\n{EdgeCluster.DescribeCacheLogs(cluster)}");

        // Assert: once it returned, the very next GET of each path through each gateway renders anew — whichever silo
        // owns the route — and no gateway answers from its old copy.
        foreach (var route in EdgeCluster.SpreadRoutes)
        {
            var shared = EdgeCluster.SpreadPath(route, key);
            var context = $"route {route} (owners {describeOwners}; revalidated from {caller} on {owners[caller].Name})";
            CacheAssert.Reply(await first.GetAsync(shared + "-1"), "MISS", 2, cluster, context);
            CacheAssert.Reply(await second.GetAsync(shared + "-2"), "MISS", 2, cluster, context);
            CacheAssert.Reply(await second.GetAsync(shared), "MISS", 2, cluster, context);
            var afterOther = await first.GetAsync(shared);
            CacheAssert.True(
                afterOther.Status == HttpStatusCode.OK && afterOther.Cache is "HIT" or "MISS" && afterOther.Render == 2,
                () => $"{context}: {afterOther}\n{EdgeCluster.DescribeCacheLogs(cluster)}");
        }

        Assert.Contains(EdgeCluster.SpreadPattern(caller), owners[caller].ActivatedRoutes());
    }

    [Fact]
    public async Task GenerateStaticParams_ListedPathsAreHitOnTheFirstRequest_UnlistedAre404()
    {
        // Arrange: the cluster is ready only after the owners rendered the listed params.
        var clock = new FakeTimeProvider();
        await using var cluster = await EdgeCluster.StartAsync(clock, gateways: 2);
        using var first = new GatewayClient(cluster.Gateways[0]);
        using var second = new GatewayClient(cluster.Gateways[1]);

        // Act + Assert: the first request of each listed path, through either gateway, is a HIT of a static entry.
        foreach (var (id, gateway) in new[] { ("alpha", first), ("beta", second), ("gamma", first) })
        {
            var reply = await gateway.GetAsync("/cluster-cache/listed/" + id);
            CacheAssert.True(reply.Status == HttpStatusCode.OK && reply.Cache == "HIT", () => $"{reply}\n{EdgeCluster.DescribeCacheLogs(cluster)}");
            Assert.Contains($"\"id\":\"{id}\"", reply.Body, StringComparison.Ordinal);
            Assert.True(reply.CacheControl?.SharedMaxAge == TimeSpan.FromDays(365) && reply.CacheControl.Extensions.Count == 0, $"static Cache-Control must be s-maxage=31536000: {reply}");
        }

        // A listed path with a query is the same entry (the key has no query).
        var withQuery = await second.GetAsync("/cluster-cache/listed/alpha?x=1");
        Assert.True(withQuery.Status == HttpStatusCode.OK && withQuery.Cache == "HIT", $"{withQuery}");

        // Unlisted params (case counts) are 404, also when asked again, and nothing is rendered for them.
        foreach (var id in new[] { "delta", "ALPHA", "alpha-", "%61lpha2" })
        {
            for (var attempt = 0; attempt < 2; attempt++)
            {
                var reply = await (attempt == 0 ? first : second).GetAsync("/cluster-cache/listed/" + id);
                CacheAssert.True(reply.Status == HttpStatusCode.NotFound, () => $"{reply}\n{EdgeCluster.DescribeCacheLogs(cluster)}");
            }
        }

        Assert.Equal(0, ClusterCacheProbes.Renders("listed/delta"));
        Assert.Equal(0, ClusterCacheProbes.Renders("listed/ALPHA"));
    }

    [Fact]
    public async Task FailingRegeneration_KeepsServingTheStaleBody_AndRetriesOnceAfterTheRetryWindow()
    {
        // Arrange: an ISR entry (revalidate 60 s, so the retry window is clamp(60, 3, 30) = 30 s) whose renders now fail.
        var clock = new FakeTimeProvider();
        await using var cluster = await EdgeCluster.StartAsync(clock, gateways: 1);
        using var gateway = new GatewayClient(cluster.Gateways[0]);
        var key = EdgeCluster.NewKey();
        var path = EdgeCluster.IsrPath(key);
        var probe = EdgeCluster.IsrProbe(key);
        CacheAssert.Reply(await gateway.GetAsync(path), "MISS", 1, cluster);
        ClusterCacheProbes.Fail(probe, true);
        var warningsBefore = EdgeCluster.WarningsMentioning(cluster, EdgeCluster.IsrPattern);

        // Act: the entry turns stale; the request that finds it so starts a regeneration, which throws.
        clock.Advance(TimeSpan.FromSeconds(61));
        CacheAssert.Reply(await gateway.GetAsync(path), "STALE", 1, cluster);
        await EdgeCluster.WaitUntilAsync(() => ClusterCacheProbes.Renders(probe) >= 2, s_wait, () => $"no regeneration attempt\n{EdgeCluster.DescribeCacheLogs(cluster)}");
        await EdgeCluster.WaitUntilAsync(
            () => EdgeCluster.WarningsMentioning(cluster, EdgeCluster.IsrPattern) > warningsBefore,
            s_wait,
            () => $"the failed regeneration was not logged\n{EdgeCluster.DescribeCacheLogs(cluster)}");

        // Assert: the stale body keeps being served, and within the retry window nothing tries again.
        for (var i = 0; i < 5; i++)
        {
            CacheAssert.StaleOrHit(await gateway.GetAsync(path), 1, cluster, "the stale body");
        }

        clock.Advance(TimeSpan.FromSeconds(20));
        for (var i = 0; i < 5; i++)
        {
            CacheAssert.StaleOrHit(await gateway.GetAsync(path), 1, cluster, "the stale body");
        }

        CacheAssert.True(ClusterCacheProbes.Renders(probe) == 2, () => $"attempts inside the retry window: {ClusterCacheProbes.Renders(probe) - 2}\n{EdgeCluster.DescribeCacheLogs(cluster)}");

        // Act: past the window (31 s after the failure) one more attempt happens — and fails again.
        clock.Advance(TimeSpan.FromSeconds(11));
        CacheAssert.StaleOrHit(await gateway.GetAsync(path), 1, cluster, "the stale body");
        await EdgeCluster.WaitUntilAsync(() => ClusterCacheProbes.Renders(probe) >= 3, s_wait, () => $"no attempt after the retry window\n{EdgeCluster.DescribeCacheLogs(cluster)}");
        for (var i = 0; i < 5; i++)
        {
            CacheAssert.StaleOrHit(await gateway.GetAsync(path), 1, cluster, "the stale body");
        }

        CacheAssert.True(ClusterCacheProbes.Renders(probe) == 3, () => $"attempts: {ClusterCacheProbes.Renders(probe) - 1} (2 expected)\n{EdgeCluster.DescribeCacheLogs(cluster)}");

        // Act: renders succeed again; after the next window the regeneration replaces the entry.
        ClusterCacheProbes.Fail(probe, false);
        clock.Advance(TimeSpan.FromSeconds(31));
        CacheAssert.StaleOrHit(await gateway.GetAsync(path), 1, cluster, "the stale body");
        CachedReply latest = null!;
        await EdgeCluster.WaitUntilAsync(
            async () =>
            {
                latest = await gateway.GetAsync(path);
                return latest.Render == 4;
            },
            s_wait,
            () => $"the successful regeneration was never served; last {latest}\n{EdgeCluster.DescribeCacheLogs(cluster)}");
        CacheAssert.Reply(await gateway.GetAsync(path), "HIT", 4, cluster);
    }

    /// <summary>
    /// A cluster with two gateways where the spread routes are not all owned by one silo, the spread route that will
    /// revalidate (one whose owner does not own every other), and each route's owner.
    /// </summary>
    private static async Task<(TestCluster Cluster, string Caller, Dictionary<string, ClusterHost> Owners)> StartWithSpreadOwnersAsync(FakeTimeProvider clock)
    {
        for (var attempt = 0; ; attempt++)
        {
            var cluster = await EdgeCluster.StartAsync(clock, gateways: 2);
            var owners = EdgeCluster.SpreadRoutes.ToDictionary(r => r, r => cluster.OwnerOfRoute(EdgeCluster.SpreadPattern(r)));
            if (owners.Values.Distinct().Count() > 1 || attempt == 4)
            {
                // The caller's silo should own as few tagged routes as possible: most entries are then elsewhere.
                var caller = owners.GroupBy(static o => o.Value).OrderBy(static g => g.Count()).First().First().Key;
                return (cluster, caller, owners);
            }

            await cluster.DisposeAsync();
        }
    }
}
