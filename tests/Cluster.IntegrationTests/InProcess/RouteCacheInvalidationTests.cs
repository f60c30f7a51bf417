using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Cluster.IntegrationTests.Infrastructure;
using EdgeApp;
using Xunit.Abstractions;

namespace Cluster.IntegrationTests.InProcess;

/// <summary>
/// <c>POST /_cluster/revalidate</c> on a 3-silo cluster with two gateways: once it has answered, no gateway serves
/// what it invalidated, under concurrent readers; and it drops nothing for a caller without the admin token.
/// </summary>
[Collection(RouteCacheCollection.Name)]
public sealed class RouteCacheInvalidationTests(ITestOutputHelper output)
{
    private const string AdminToken = "route-cache-tests-admin-token-0123456789";
    private static readonly TimeSpan s_runFor = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ConcurrentReaders_NeverGetAnInvalidatedRender_AfterTheInvalidationWasConfirmed()
    {
        // Arrange: three cached paths on (most likely) different owners — ISR revalidated by path, force-static and
        // ISR revalidated by their tag — each warmed into both gateways' near-caches.
        var clock = new FakeTimeProvider();
        await using var cluster = await EdgeCluster.StartAsync(clock, gateways: 2, "--Cluster:AdminToken=" + AdminToken);
        var key = EdgeCluster.NewKey();
        Subject[] subjects =
        [
            new(EdgeCluster.IsrPath(key), EdgeCluster.IsrProbe(key)),
            new(EdgeCluster.SpreadPath("b", key), EdgeCluster.SpreadProbe("b", key)),
            new(EdgeCluster.SpreadPath("a", key), EdgeCluster.SpreadProbe("a", key)),
        ];
        var byPath = $$"""{"path":"{{subjects[0].Path}}"}""";
        var byTag = $$"""{"tag":"{{EdgeCluster.SpreadTag}}"}""";
        using var admin1 = new GatewayClient(cluster.Gateways[0]);
        using var admin2 = new GatewayClient(cluster.Gateways[1]);
        var samples = new ConcurrentQueue<Sample>();
        for (var subject = 0; subject < subjects.Length; subject++)
        {
            foreach (var (client, cache) in new[] { (admin1, "MISS"), (admin2, "HIT") })
            {
                var started = Stopwatch.GetTimestamp();
                var reply = await client.GetAsync(subjects[subject].Path);
                CacheAssert.Reply(reply, cache, 1, cluster);
                samples.Enqueue(new Sample(subject, started, Stopwatch.GetTimestamp(), reply));
            }
        }

        // Act: four readers (two per gateway) read the three paths in turn while invalidations alternate between the
        // path and the tag, through alternating gateways. Each confirmed invalidation records when it returned and
        // the render count of its paths just before it was sent: no render up to that count may be served to a
        // request that started after the confirmation.
        var readerErrors = new ConcurrentQueue<string>();
        var sampleCount = 0;
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            using var client = new GatewayClient(cluster.Gateways[r % 2]);
            for (var i = r; !stop.IsCancellationRequested; i++)
            {
                var subject = i % subjects.Length;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var reply = await client.GetAsync(subjects[subject].Path);
                    samples.Enqueue(new Sample(subject, started, Stopwatch.GetTimestamp(), reply));
                    Interlocked.Increment(ref sampleCount);
                }
                catch (Exception ex)
                {
                    readerErrors.Enqueue($"{client.Name} GET {subjects[subject].Path}: {ex.GetType().Name} {ex.Message}");
                }
            }
        })).ToArray();

        var invalidations = new List<Invalidation>();
        var run = Stopwatch.StartNew();
        for (var round = 0; run.Elapsed < s_runFor; round++)
        {
            int[] affected = round % 2 == 0 ? [0] : [1, 2];
            var before = affected.Select(s => ClusterCacheProbes.Renders(subjects[s].Probe)).ToArray();
            var sent = Stopwatch.GetTimestamp();
            var (status, body) = await (round % 2 == 0 ? admin1 : admin2).PostAsync("/_cluster/revalidate", round % 2 == 0 ? byPath : byTag, AdminToken);
            var confirmed = Stopwatch.GetTimestamp();
            CacheAssert.True(status == HttpStatusCode.OK, () => $"revalidate #{round}: {(int)status} {body}\n{EdgeCluster.DescribeCacheLogs(cluster)}");
            for (var i = 0; i < affected.Length; i++)
            {
                invalidations.Add(new Invalidation(round, affected[i], sent, confirmed, before[i]));
            }

            // Let the readers see this state before the next invalidation (progress, not time, paces the loop).
            var seen = Volatile.Read(ref sampleCount);
            var pause = Stopwatch.StartNew();
            while (Volatile.Read(ref sampleCount) < seen + 6 && pause.Elapsed < TimeSpan.FromSeconds(2))
            {
                await Task.Delay(2);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(60));

        // Assert: every read succeeded and went through the cache.
        var all = samples.ToArray();
        CacheAssert.True(readerErrors.IsEmpty, () => string.Join("\n", readerErrors.Take(10)) + "\n" + EdgeCluster.DescribeCacheLogs(cluster));
        var bad = all.Where(static s => s.Reply.Status != HttpStatusCode.OK || s.Reply.Cache is not ("HIT" or "MISS" or "STALE")).ToArray();
        CacheAssert.True(bad.Length == 0, () => $"{bad.Length} bad replies:\n{string.Join("\n", bad.Take(10).Select(static s => s.Reply))}\n{EdgeCluster.DescribeCacheLogs(cluster)}");

        // Assert: no read that started after a confirmation got a render that invalidation covered.
        var violations = new List<string>();
        foreach (var sample in all)
        {
            var covering = invalidations.Where(v => v.Subject == sample.Subject && v.Confirmed < sample.Started).MaxBy(static v => v.Confirmed);
            if (covering is not null && sample.Reply.Render <= covering.RendersBeforeSend)
            {
                var servedBefore = all.Any(s => s.Subject == sample.Subject && s.Ended < covering.Sent && s.Reply.Render == sample.Reply.Render);
                violations.Add(
                    $"{sample.Reply} started {Millis(covering.Confirmed, sample.Started):F1} ms after revalidate #{covering.Round} was confirmed " +
                    $"(it covered renders ≤ {covering.RendersBeforeSend}; this render was {(servedBefore ? "served before the revalidation was sent" : "in flight while it ran")})");
            }
        }

        CacheAssert.True(violations.Count == 0, () => $"{violations.Count} of {all.Length} reads got an invalidated render:\n{string.Join("\n", violations.Take(20))}\n{EdgeCluster.DescribeCacheLogs(cluster)}");

        // Assert: the run did exercise it: many confirmed invalidations, each path rendered again and again, reads that
        // hit (near-cache or owner) and reads that missed.
        var rounds = invalidations.Select(static v => v.Round).Distinct().Count();
        output.WriteLine(
            $"{rounds} confirmed invalidations, {all.Length} reads ({string.Join(", ", all.GroupBy(static s => s.Reply.Cache).Select(static g => $"{g.Key} {g.Count()}"))}), " +
            $"renders {string.Join(", ", subjects.Select(static s => $"{s.Path} {ClusterCacheProbes.Renders(s.Probe)}"))}");
        Assert.True(rounds >= 20, $"only {rounds} invalidations in {s_runFor}");
        Assert.All(subjects, s => Assert.True(ClusterCacheProbes.Renders(s.Probe) >= 5, $"{s.Path} rendered {ClusterCacheProbes.Renders(s.Probe)} times"));
        Assert.Contains(all, static s => s.Reply.Cache == "HIT");
        Assert.Contains(all, static s => s.Reply.Cache == "MISS");
    }

    [Fact]
    public async Task RevalidateEndpoint_WithoutTheTokenOrWithABadBody_IsRefused_AndDropsNothing()
    {
        // Arrange: outside Development, so the token is required whatever Development allows.
        var clock = new FakeTimeProvider();
        await using var cluster = await EdgeCluster.StartAsync(clock, gateways: 1, "--Cluster:AdminToken=" + AdminToken, "--environment=Production");
        using var gateway = new GatewayClient(cluster.Gateways[0]);
        var key = EdgeCluster.NewKey();
        var path = EdgeCluster.IsrPath(key);
        var body = $$"""{"path":"{{path}}"}""";
        CacheAssert.Reply(await gateway.GetAsync(path), "MISS", 1, cluster);
        CacheAssert.Reply(await gateway.GetAsync(path), "HIT", 1, cluster);

        // Act + Assert: no token, a wrong one (also a prefix of the right one), and bad bodies are refused.
        foreach (var (json, bearer, expected) in new (string?, string?, HttpStatusCode[])[]
        {
            (body, null, [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden]),
            (body, "wrong-token", [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden]),
            (body, AdminToken[..^1], [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden]),
            (body, AdminToken + "x", [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden]),
            ("{\"path\":", AdminToken, [HttpStatusCode.BadRequest]),
            ("{}", AdminToken, [HttpStatusCode.BadRequest]),
            (null, AdminToken, [HttpStatusCode.BadRequest, HttpStatusCode.UnsupportedMediaType]),
        })
        {
            var (status, answer) = await gateway.PostAsync("/_cluster/revalidate", json, bearer);
            CacheAssert.True(expected.Contains(status), () => $"body {json ?? "(none)"} bearer {bearer ?? "(none)"}: {(int)status} {answer}, expected {string.Join("/", expected.Cast<int>())}\n{EdgeCluster.DescribeCacheLogs(cluster)}");
        }

        // The entry is untouched: still a HIT of the first render.
        CacheAssert.Reply(await gateway.GetAsync(path), "HIT", 1, cluster);
        Assert.Equal(1, ClusterCacheProbes.Renders(EdgeCluster.IsrProbe(key)));

        // And the same request with the token does drop it (so the refusals above were about the token and the body).
        var accepted = await gateway.PostAsync("/_cluster/revalidate", body, AdminToken);
        CacheAssert.True(accepted.Status == HttpStatusCode.OK, () => $"{(int)accepted.Status} {accepted.Body}\n{EdgeCluster.DescribeCacheLogs(cluster)}");
        CacheAssert.Reply(await gateway.GetAsync(path), "MISS", 2, cluster);
    }

    private static double Millis(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private sealed record Subject(string Path, string Probe);

    private sealed record Sample(int Subject, long Started, long Ended, CachedReply Reply);

    private sealed record Invalidation(int Round, int Subject, long Sent, long Confirmed, int RendersBeforeSend);
}
