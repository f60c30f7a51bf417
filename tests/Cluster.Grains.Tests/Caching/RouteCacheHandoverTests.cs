using System.Text;
using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Grains.Tests.TestInfrastructure;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Cluster.Runtime;
using Cluster.Runtime.Membership;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Tests.Caching;

/// <summary>
/// The two ends of a cache hand-over on one silo: the receiving grain called with the hand-over message directly, and
/// what a leaving activation does with its entries. The move between silos is the integration tests' (TestCluster).
/// </summary>
public sealed class RouteCacheHandoverTests
{
    private const string Pattern = "/blog/[slug]";

    [Fact]
    public async Task Receive_Entries_InstallsThemWithTimesRebuiltOnThisClock_AndServesThemAsHits()
    {
        var renders = 0;
        await using var silo = await StartAsync(Blog(() => Interlocked.Increment(ref renders)));
        var now = silo.CacheTime.GetUtcNow();

        var result = await HandOverAsync(
            silo,
            Entry("/blog/a", "handed a", version: 5, age: TimeSpan.FromSeconds(10), staleIn: TimeSpan.FromSeconds(50)),
            Entry("/blog/b", "handed b", version: 6, age: TimeSpan.FromDays(3), staleIn: null));

        Assert.Equal(2, result.Installed);
        Assert.True(silo.Store.TryGet(Pattern, "/blog/a", out var a));
        Assert.Equal(now - TimeSpan.FromSeconds(10), a.CreatedAt);
        Assert.Equal(now + TimeSpan.FromSeconds(50), a.StaleAt);
        Assert.Equal(5, a.Version);
        Assert.True(silo.Store.TryGet(Pattern, "/blog/b", out var b));
        Assert.Equal(DateTimeOffset.MaxValue, b.StaleAt);
        var reply = await GetAsync(silo, "a");
        Assert.Equal(RouteCacheStatus.Hit, reply.Cache);
        Assert.Equal("handed a", Body(reply));
        Assert.Equal(RouteCacheStatus.Hit, (await GetAsync(silo, "b")).Cache);
        Assert.Equal(0, renders);
    }

    [Fact]
    public async Task Receive_AlreadyStaleEntry_IsServedStaleWhileItRegenerates()
    {
        await using var silo = await StartAsync(Blog(static () => { }));

        var result = await HandOverAsync(silo, Entry("/blog/a", "handed", version: 1, age: TimeSpan.FromSeconds(90), staleIn: TimeSpan.FromSeconds(-30)));
        var regenerated = silo.Store.NextSetAsync("/blog/a");
        var reply = await GetAsync(silo, "a");

        Assert.Equal(1, result.Installed);
        Assert.Equal(RouteCacheStatus.Stale, reply.Cache);
        Assert.Equal("handed", Body(reply));
        Assert.Equal("rendered a", Encoding.UTF8.GetString((await regenerated).Response.Body.Span));
    }

    [Fact]
    public async Task Receive_LocalEntryWithAHigherVersion_KeepsTheLocalEntry()
    {
        await using var silo = await StartAsync(Blog(static () => { }));
        Assert.Equal(RouteCacheStatus.Miss, (await GetAsync(silo, "a")).Cache);
        Assert.True(silo.Store.TryGet(Pattern, "/blog/a", out var local));

        // Rendered after the local entry by the handed-over clock, but numbered below it.
        silo.CacheTime.Advance(TimeSpan.FromSeconds(5));
        var result = await HandOverAsync(silo, Entry("/blog/a", "handed", version: local.Version - 1, age: TimeSpan.Zero, staleIn: TimeSpan.FromSeconds(60)));

        Assert.Equal(0, result.Installed);
        Assert.True(silo.Store.TryGet(Pattern, "/blog/a", out var kept));
        Assert.Same(local, kept);
        Assert.Equal("rendered a", Body(await GetAsync(silo, "a")));
    }

    [Fact]
    public async Task Receive_LocalEntryRenderedLaterOnThisClock_KeepsIt_EvenWhenTheSenderNumberedItsEntryHigher()
    {
        // A sender whose clock runs ahead numbers its entries higher; its entry is still older than the local render.
        await using var silo = await StartAsync(Blog(static () => { }));
        await GetAsync(silo, "a");
        Assert.True(silo.Store.TryGet(Pattern, "/blog/a", out var local));

        var result = await HandOverAsync(silo, Entry("/blog/a", "handed", version: local.Version + 1_000, age: TimeSpan.FromSeconds(1), staleIn: TimeSpan.FromSeconds(59)));

        Assert.Equal(0, result.Installed);
        Assert.Equal("rendered a", Body(await GetAsync(silo, "a")));
    }

    [Fact]
    public async Task Receive_NewerThanTheLocalEntry_ReplacesIt_AndLaterVersionsNumberAboveIt()
    {
        await using var silo = await StartAsync(Blog(static () => { }));
        await GetAsync(silo, "a");
        Assert.True(silo.Store.TryGet(Pattern, "/blog/a", out var local));
        silo.CacheTime.Advance(TimeSpan.FromSeconds(10));
        var handedVersion = local.Version + 1_000_000;

        var result = await HandOverAsync(silo, Entry("/blog/a", "handed", version: handedVersion, age: TimeSpan.FromSeconds(2), staleIn: TimeSpan.FromSeconds(58)));
        await GetAsync(silo, "b");

        Assert.Equal(1, result.Installed);
        Assert.Equal("handed", Body(await GetAsync(silo, "a")));
        Assert.True(silo.Store.TryGet(Pattern, "/blog/b", out var later));
        Assert.True(later.Version > handedVersion, "A render after the hand-over must number above the versions it observed.");
    }

    [Fact]
    public async Task Receive_PathInvalidatedByThisActivation_IsRefused_OtherPathsInstalled()
    {
        var renders = 0;
        await using var silo = await StartAsync(Blog(() => Interlocked.Increment(ref renders)));
        await silo.InvalidateAsync(Pattern, "/blog/a");

        var result = await HandOverAsync(
            silo,
            Entry("/blog/a", "handed a", version: 1, age: TimeSpan.Zero, staleIn: TimeSpan.FromSeconds(60)),
            Entry("/blog/b", "handed b", version: 1, age: TimeSpan.Zero, staleIn: TimeSpan.FromSeconds(60)));

        Assert.Equal(1, result.Installed);
        Assert.False(silo.Store.TryGet(Pattern, "/blog/a", out _));
        var a = await GetAsync(silo, "a");
        Assert.Equal(RouteCacheStatus.Miss, a.Cache);
        Assert.Equal("rendered a", Body(a));
        Assert.Equal("handed b", Body(await GetAsync(silo, "b")));
        Assert.Equal(1, renders);
    }

    [Fact]
    public async Task Receive_RouteInvalidatedWhole_RefusesEveryEntry()
    {
        await using var silo = await StartAsync(Blog(static () => { }));
        await silo.InvalidateAsync(Pattern, path: null);

        var result = await HandOverAsync(silo, Entry("/blog/a", "handed", version: 1, age: TimeSpan.Zero, staleIn: null));

        Assert.Equal(0, result.Installed);
        Assert.Equal(0, silo.Store.Count);
    }

    [Fact]
    public async Task Receive_RouteThisSiloDoesNotCache_InstallsNothingAndWarns()
    {
        await using var silo = await StartAsync(
            RouteSilo.Route("/live/[id]", RouteMethods.Get, static (_, _, _) => new ValueTask<RouteResponse?>(RouteResponse.Text("live"))));

        var result = await silo.GrainFactory.GetRouteGrain("/live/[id]").Grain
            .InvokeAsync<RouteCacheHandover, RouteCacheHandoverResult>(new RouteCacheHandover { Entries = [Entry("/live/1", "handed", 1, TimeSpan.Zero, null)] })
            .WithTimeout();

        Assert.Equal(0, result.Installed);
        Assert.Equal(0, silo.Store.Count);
        var warning = Assert.Single(silo.Logs.Entries, static e => e.EventId.Id == 4548);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("/live/[id]", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deactivate_SiloShutsDownWithNoSiloToTakeTheRoute_DropsTheEntriesAndTellsTheGateways()
    {
        var silo = await StartAsync(Blog(static () => { }), Static("/about"));
        var store = silo.Store;
        var broadcasts = silo.Broadcasts;
        await GetAsync(silo, "a");
        await GetAsync(silo, "b");
        await silo.ReplyAsync(RouteSilo.Invocation("/about"));
        Assert.Equal(3, store.Count);

        await silo.DisposeAsync();

        Assert.Equal(0, store.Count);
        var dropped = broadcasts.Sent
            .Where(static s => s.Topic == NearCacheInvalidation.Topic)
            .Select(static s => NearCacheInvalidation.FromPayload(s.Payload))
            .ToArray();
        Assert.Contains(new NearCacheInvalidation(Pattern, null), dropped);
        Assert.Contains(new NearCacheInvalidation("/about", null), dropped);
        Assert.Contains(silo.Logs.Entries, static e => e.EventId.Id is 4545 or 4546 && e.Message.Contains(Pattern, StringComparison.Ordinal));
        Assert.DoesNotContain(silo.Logs.Entries, static e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Deactivate_IdleCollection_KeepsTheEntriesForTheNextActivation()
    {
        var renders = 0;
        var runtimeTime = new FakeTimeProvider();
        await using var silo = await StartAsync(
            [
                new("Cluster:Runtime:GrainCollection:CollectionAge", "00:00:01"),
                new("Cluster:Runtime:GrainCollection:CollectionQuantum", "00:00:01"),
            ],
            services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(runtimeTime)),
            Blog(() => Interlocked.Increment(ref renders)));
        await GetAsync(silo, "a");

        runtimeTime.Advance(TimeSpan.FromSeconds(3));
        await WaitForLogAsync(silo, e => e.EventId.Id == 4003 && e.Message.Contains("route/" + Pattern, StringComparison.Ordinal));

        Assert.Equal(1, silo.Store.Count);
        Assert.DoesNotContain(silo.Broadcasts.Sent, static s => s.Topic == NearCacheInvalidation.Topic);
        var reply = await GetAsync(silo, "a");
        Assert.Equal(RouteCacheStatus.Hit, reply.Cache);
        Assert.Equal(1, renders);
        Assert.Equal(2, silo.Activations("route", Pattern));
    }

    [Fact]
    public async Task Deactivate_IdleCollection_ThenTheViewChanges_TheNextActivationRendersAfresh()
    {
        // The route may have been owned by another silo while this one had no activation, and invalidated there.
        var renders = 0;
        var runtimeTime = new FakeTimeProvider();
        var membership = new SettableMembership();
        await using var silo = await StartAsync(
            [
                new("Cluster:Runtime:GrainCollection:CollectionAge", "00:00:01"),
                new("Cluster:Runtime:GrainCollection:CollectionQuantum", "00:00:01"),
            ],
            services =>
            {
                services.Replace(ServiceDescriptor.Singleton<TimeProvider>(runtimeTime));
                services.Replace(ServiceDescriptor.Singleton<IClusterMembership>(membership));
            },
            Blog(() => Interlocked.Increment(ref renders)));
        await GetAsync(silo, "a");

        runtimeTime.Advance(TimeSpan.FromSeconds(3));
        await WaitForLogAsync(silo, e => e.EventId.Id == 4003 && e.Message.Contains("route/" + Pattern, StringComparison.Ordinal));
        membership.Current = new MembershipSnapshot(membership.Current.Version + 1, []);
        var reply = await GetAsync(silo, "a");

        Assert.Equal(RouteCacheStatus.Miss, reply.Cache);
        Assert.Equal(2, renders);
        Assert.Contains(silo.Logs.Entries, static e => e.EventId.Id == 4534 && e.Message.Contains(Pattern, StringComparison.Ordinal));
    }

    [Fact]
    public void Batches_SplitByAccountedBytes_KeepsEveryEntryOnceInOrder()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var big = RouteResponse.Bytes(new byte[(int)(RouteCacheHandoverSender.BatchBytes / 3)], "application/octet-stream");
        var entries = Enumerable.Range(0, 7)
            .Select(i => new KeyValuePair<string, RouteCacheEntry>($"/blog/{i}", new RouteCacheEntry(big, now, now.AddMinutes(1), i)))
            .ToArray();

        var batches = RouteCacheHandoverSender.Batches(entries, now).ToArray();

        Assert.Equal(4, batches.Length);
        Assert.All(batches, static b => Assert.True(b.Entries.Sum(static e => RouteCacheSizes.Of(e.Response)) <= RouteCacheHandoverSender.BatchBytes || b.Entries.Count == 1));
        Assert.Equal(entries.Select(static e => e.Key), batches.SelectMany(static b => b.Entries).Select(static e => e.Path));
    }

    [Fact]
    public void Entry_From_MeasuresAgeAndStaleTimeOnTheSendersClock()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var response = RouteResponse.Text("x");

        var fresh = RouteCacheHandoverEntry.From("/a", new RouteCacheEntry(response, now.AddSeconds(-10), now.AddSeconds(20), 3), now);
        var stale = RouteCacheHandoverEntry.From("/b", new RouteCacheEntry(response, now.AddSeconds(-10), now.AddSeconds(-4), 4), now);
        var forever = RouteCacheHandoverEntry.From("/c", new RouteCacheEntry(response, now.AddDays(-1), DateTimeOffset.MaxValue, 5), now);

        Assert.Equal(TimeSpan.FromSeconds(10), fresh.Age);
        Assert.Equal(TimeSpan.FromSeconds(20), fresh.StaleIn);
        Assert.Equal(TimeSpan.FromSeconds(-4), stale.StaleIn);
        Assert.Null(forever.StaleIn);
        Assert.Equal(5, forever.Version);
        var later = now.AddHours(1);
        Assert.Equal(later.AddSeconds(-10), fresh.ToEntry(later).CreatedAt);
        Assert.Equal(later.AddSeconds(20), fresh.ToEntry(later).StaleAt);
        Assert.Equal(DateTimeOffset.MaxValue, forever.ToEntry(later).StaleAt);
    }

    private static Task<RouteSilo> StartAsync(params RouteDefinition[] routes) => StartAsync([], configure: null, routes);

    private static Task<RouteSilo> StartAsync(
        IEnumerable<KeyValuePair<string, string?>> settings, Action<IServiceCollection>? configure, params RouteDefinition[] routes)
        => RouteSilo.StartAsync(
            settings,
            services =>
            {
                services.AddRouteCacheHandoverMessage();
                configure?.Invoke(services);
            },
            routes);

    private static RouteDefinition Blog(Action onRender)
        => RouteSilo.Route(Pattern, RouteMethods.Get, (_, _, context) =>
        {
            onRender();
            return new ValueTask<RouteResponse?>(RouteResponse.Text("rendered " + context.Params["slug"]));
        }, new RouteConfig { Revalidate = 60 });

    private static RouteDefinition Static(string pattern)
        => RouteSilo.Route(pattern, RouteMethods.Get, static (_, _, _) => new ValueTask<RouteResponse?>(RouteResponse.Text("static")), new RouteConfig { Dynamic = DynamicMode.ForceStatic });

    private static RouteCacheHandoverEntry Entry(string path, string body, long version, TimeSpan age, TimeSpan? staleIn) => new()
    {
        Path = path,
        Response = RouteResponse.Text(body),
        Version = version,
        Age = age,
        StaleIn = staleIn,
    };

    private static Task<RouteCacheHandoverResult> HandOverAsync(RouteSilo silo, params RouteCacheHandoverEntry[] entries)
        => silo.GrainFactory.GetRouteGrain(Pattern).Grain
            .InvokeAsync<RouteCacheHandover, RouteCacheHandoverResult>(new RouteCacheHandover { Entries = entries })
            .WithTimeout();

    private static Task<RouteReply> GetAsync(RouteSilo silo, string slug)
        => silo.ReplyAsync(RouteSilo.Invocation(Pattern, path: "/blog/" + slug, @params: RouteParams.Of(("slug", slug))));

    private static string Body(RouteReply reply) => Encoding.UTF8.GetString(reply.Response.Body.Span);

    // The runtime deactivates in the background once its collector fired; its log line is the event to wait for.
    private static async Task WaitForLogAsync(RouteSilo silo, Func<LogEntry, bool> match)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!silo.Logs.Entries.Any(match))
        {
            Assert.True(waited.Elapsed < TestTimeouts.Default, "The log line did not come in time.");
            await Task.Delay(10);
        }
    }
}
