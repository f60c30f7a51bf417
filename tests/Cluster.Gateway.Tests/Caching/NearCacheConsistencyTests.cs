using System.Globalization;
using Cluster.Gateway.Tests.Caching.TestSupport;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Grains.Caching;
using Cluster.Routing;
using static Cluster.Gateway.Tests.Caching.TestSupport.NearCacheFactory;

namespace Cluster.Gateway.Tests.Caching;

/// <summary>
/// No copy survives a confirmed invalidation: readers hammer one cached path while a loop bumps the owner's version and
/// invalidates; a reader that started after an invalidation returned must never get a body older than that version.
/// The owner answers after a random delay, so replies of calls that started before an invalidation arrive after it.
/// </summary>
[Collection(NearCachePipelineCollection.Name)]
public sealed class NearCacheConsistencyTests(NearCachePipelineFixture fixture)
{
    private const string Pattern = "/static/[id]";

    [Fact]
    public async Task NearCache_ReadersDuringInvalidations_NeverSeeAnInvalidatedVersion()
    {
        var sut = Create(new FakeTimeProvider());
        const string Path = "/static/unit";
        long ownerVersion = 0;
        long confirmed = 0;
        var violations = 0;
        var hits = 0;
        var done = 0;

        async Task ReadAsync()
        {
            while (Volatile.Read(ref done) == 0)
            {
                var startedAfter = Volatile.Read(ref confirmed);
                long seen;
                if (sut.TryGet(Pattern, Path, out var copy))
                {
                    Interlocked.Increment(ref hits);
                    seen = long.Parse(Text(copy), CultureInfo.InvariantCulture);
                }
                else
                {
                    // A call: the epoch before it, the owner's current version, a delay, then the offer to the near-cache.
                    var epoch = sut.Epoch;
                    seen = Volatile.Read(ref ownerVersion);
                    await Pause();
                    sut.TryAdd(Pattern, Path, Reply(seen.ToString(CultureInfo.InvariantCulture), RouteCacheStatus.Miss, Timeout.InfiniteTimeSpan), epoch);
                }

                if (seen < startedAfter)
                {
                    Interlocked.Increment(ref violations);
                }

                await Task.Yield();
            }
        }

        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(ReadAsync)).ToArray();
        for (var i = 0; i < 2_000; i++)
        {
            // The owner drops its entry (its next render is the new version), then tells the near-cache, then confirms.
            var version = Interlocked.Increment(ref ownerVersion);
            sut.Invalidate(new NearCacheInvalidation(Pattern, Path));
            Volatile.Write(ref confirmed, version);
            await Pause();
        }

        Volatile.Write(ref done, 1);
        await Task.WhenAll(readers).WaitAsync(TestTimeouts.Default);

        Assert.Equal(0, violations);
        Assert.True(hits > 0, "The readers never hit the near-cache, so the test proved nothing.");
    }

    [Fact]
    public async Task Gateway_ReadersDuringInvalidations_NeverGetAnInvalidatedVersion()
    {
        const string Path = "/static/hammer";
        long ownerVersion = 0;
        long confirmed = 0;
        var violations = 0;
        var hits = 0;
        var done = 0;
        fixture.Owners.Override(Path, async (_, _) =>
        {
            var version = Volatile.Read(ref ownerVersion);
            await Pause();
            return new RouteReply(
                RouteResponse.Text(version.ToString(CultureInfo.InvariantCulture)), RouteCacheStatus.Miss, Timeout.InfiniteTimeSpan);
        });

        async Task ReadAsync()
        {
            while (Volatile.Read(ref done) == 0)
            {
                var startedAfter = Volatile.Read(ref confirmed);
                using var response = await fixture.Host.Client.GetAsync(Path);
                var seen = long.Parse(await response.Content.ReadAsStringAsync(), CultureInfo.InvariantCulture);
                if (seen < startedAfter)
                {
                    Interlocked.Increment(ref violations);
                }

                if (response.Headers.TryGetValues("x-route-cache", out var values) && values.Single() == "HIT")
                {
                    Interlocked.Increment(ref hits);
                }
            }
        }

        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(ReadAsync)).ToArray();
        for (var i = 0; i < 300; i++)
        {
            var version = Interlocked.Increment(ref ownerVersion);
            fixture.NearCache.OnBroadcast(new NearCacheInvalidation(Pattern, Path).ToPayload());
            Volatile.Write(ref confirmed, version);
            await Task.Delay(Random.Shared.Next(0, 3));
        }

        Volatile.Write(ref done, 1);
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, violations);
        Assert.True(hits > 0, "The readers never hit the near-cache, so the test proved nothing.");
    }

    private static Task Pause() => Random.Shared.Next(4) switch
    {
        0 => Task.CompletedTask,
        1 => Task.Delay(1),
        _ => Task.Run(static () => Thread.SpinWait(Random.Shared.Next(10, 2_000))),
    };
}
