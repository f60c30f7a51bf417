using System.Collections.Concurrent;
using System.Text;
using System.Threading.Channels;
using Cluster.Grains.Caching;
using Cluster.Grains.Tests.TestInfrastructure;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Cluster.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Tests.Caching;

public sealed class StaticParamsPrerendererTests
{
    private const string Pattern = "/blog/[slug]";

    [Fact]
    public async Task RunAsync_ListedPaths_RendersEachOnce_ThenEachIsAHit()
    {
        var renders = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await using var silo = await StartAsync(
            settings: [],
            Blog(Slugs("a", "b c", "é"), (_, context) =>
            {
                renders.AddOrUpdate(context.Params["slug"], 1, static (_, n) => n + 1);
                return Text("post " + context.Params["slug"]);
            }));

        await CreateSut(silo).RunAsync(CancellationToken.None).WithTimeout();

        Assert.Equal(["a", "b c", "é"], renders.Keys.Order(StringComparer.Ordinal));
        Assert.All(renders.Values, static n => Assert.Equal(1, n));
        foreach (var (path, slug) in new[] { ("/blog/a", "a"), ("/blog/b%20c", "b c"), ("/blog/%C3%A9", "é") })
        {
            var reply = await silo.ReplyAsync(RouteSilo.Invocation(Pattern, path: path, @params: RouteParams.Of(("slug", slug))));
            Assert.Equal(RouteCacheStatus.Hit, reply.Cache);
            Assert.Equal("post " + slug, Encoding.UTF8.GetString(reply.Response.Body.Span));
        }

        Assert.Single(silo.Logs.Entries, static e => e.EventId.Id == 4540 && e.Level == LogLevel.Information
            && e.Message.StartsWith("Prerendering 3 paths of 1 routes listed by GenerateStaticParams, 4 at a time", StringComparison.Ordinal));
        var finished = Assert.Single(silo.Logs.Entries, static e => e.EventId.Id == 4541);
        Assert.StartsWith("Prerendering 3 paths of 1 routes finished in ", finished.Message, StringComparison.Ordinal);
        Assert.EndsWith(": 3 rendered, 0 already cached, 0 not cached, 0 failed.", finished.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_AgainAsAnotherSiloWould_RendersNothingAndCountsHits()
    {
        var renders = 0;
        await using var silo = await StartAsync(
            settings: [],
            Blog(Slugs("a", "b"), (_, _) =>
            {
                Interlocked.Increment(ref renders);
                return Text("post");
            }));
        var sut = CreateSut(silo);

        await sut.RunAsync(CancellationToken.None).WithTimeout();
        await sut.RunAsync(CancellationToken.None).WithTimeout();

        Assert.Equal(2, renders);
        var second = silo.Logs.Entries.Where(static e => e.EventId.Id == 4541).Last();
        Assert.EndsWith(": 0 rendered, 2 already cached, 0 not cached, 0 failed.", second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConcurrencyLimit_NeverMoreRendersAtOnceThanTheSetting()
    {
        // Not 2: Parallel.ForEachAsync's own default is the core count, which a 2-core machine would hide.
        const int Limit = 3;
        const int Paths = 8;
        var inFlight = 0;
        var maxInFlight = 0;
        var entered = Channel.CreateUnbounded<TaskCompletionSource>();
        await using var silo = await StartAsync(
            settings: [new("Cluster:Cache:PrerenderConcurrency", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            Blog(Slugs([.. Enumerable.Range(0, Paths).Select(static i => "p" + i)]), async (_, _) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref maxInFlight, now);
                var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                entered.Writer.TryWrite(release);
                await release.Task;
                Interlocked.Decrement(ref inFlight);
                return RouteResponse.Text("post");
            }));

        var run = CreateSut(silo).RunAsync(CancellationToken.None);

        // Hold Limit renders, then release one at a time: each release lets exactly one more in.
        var held = new Queue<TaskCompletionSource>();
        for (var i = 0; i < Limit; i++)
        {
            held.Enqueue(await entered.Reader.ReadAsync().AsTask().WithTimeout());
        }

        for (var started = Limit; started < Paths; started++)
        {
            Assert.Equal(Limit, Volatile.Read(ref inFlight));
            held.Dequeue().SetResult();
            held.Enqueue(await entered.Reader.ReadAsync().AsTask().WithTimeout());
        }

        while (held.TryDequeue(out var release))
        {
            release.SetResult();
        }

        await run.WithTimeout();
        Assert.Equal(Limit, maxInFlight);
        Assert.False(entered.Reader.TryRead(out _), "A path was rendered twice.");
    }

    [Fact]
    public async Task RunAsync_FailingPaths_AreLoggedAsWarnings_AndTheOthersStillRender()
    {
        var renders = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var broken = new RouteDefinition
        {
            Pattern = "/broken/[id]",
            SourceFile = "app/broken/[id]/route.cs",
            HandlerType = "TestApp.Broken",
            Methods = RouteMethods.Get,
            Config = new RouteConfig { Revalidate = 60 },
            CreateHandler = static _ => throw new InvalidOperationException("no handler"),
            GenerateStaticParams = static () => new ValueTask<IEnumerable<RouteParams>>([RouteParams.Of(("id", "1"))]),
        };
        await using var silo = await StartAsync(
            settings: [],
            Blog(Slugs("a", "bad", "c", "gone"), (_, context) =>
            {
                var slug = context.Params["slug"];
                renders.AddOrUpdate(slug, 1, static (_, n) => n + 1);
                return slug switch
                {
                    "bad" => throw new InvalidOperationException("render failed"),
                    "gone" => new ValueTask<RouteResponse?>(RouteResponse.NotFound()),
                    _ => Text("post " + slug),
                };
            }),
            broken);

        await CreateSut(silo).RunAsync(CancellationToken.None).WithTimeout();

        Assert.Equal(["a", "bad", "c", "gone"], renders.Keys.Order(StringComparer.Ordinal));
        Assert.All(renders.Values, static n => Assert.Equal(1, n));
        var answered500 = Assert.Single(silo.Logs.Entries, static e => e.EventId.Id == 4543);
        Assert.Equal(LogLevel.Warning, answered500.Level);
        Assert.Contains("/blog/bad", answered500.Message, StringComparison.Ordinal);
        Assert.Contains("500", answered500.Message, StringComparison.Ordinal);
        var threw = Assert.Single(silo.Logs.Entries, static e => e.EventId.Id == 4542);
        Assert.Equal(LogLevel.Warning, threw.Level);
        Assert.Contains("/broken/1", threw.Message, StringComparison.Ordinal);
        Assert.NotNull(threw.Exception);
        var finished = Assert.Single(silo.Logs.Entries, static e => e.EventId.Id == 4541);
        Assert.StartsWith("Prerendering 5 paths of 2 routes finished in ", finished.Message, StringComparison.Ordinal);
        Assert.EndsWith(": 3 rendered, 0 already cached, 0 not cached, 2 failed.", finished.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_RouteWithoutGet_IsNotPrerendered()
    {
        var renders = 0;
        ValueTask<RouteResponse?> Count()
        {
            Interlocked.Increment(ref renders);
            return Text("x");
        }

        // GenerateStaticParams on a route without GET: nothing to prerender (a stateless worker cannot list params at
        // all: it is cached, which stops start-up).
        var postOnly = RouteSilo.Route("/forms/[id]", RouteMethods.Post, (_, _, _) => Count(), generateStaticParams: Ids("1"));
        await using var silo = await StartAsync(settings: [], postOnly);

        await CreateSut(silo).RunAsync(CancellationToken.None).WithTimeout();

        Assert.Equal(0, renders);
        Assert.DoesNotContain(silo.Logs.Entries, static e => e.EventId.Id is 4540 or 4541);
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsTakingPathsAndLogsThatItStoppedEarly()
    {
        var renders = 0;
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var silo = await StartAsync(
            settings: [new("Cluster:Cache:PrerenderConcurrency", "1")],
            Blog(Slugs("a", "b", "c"), async (_, _) =>
            {
                Interlocked.Increment(ref renders);
                entered.TrySetResult();
                await release.Task;
                return RouteResponse.Text("post");
            }));
        using var timeout = new CancellationTokenSource();

        var run = CreateSut(silo).RunAsync(timeout.Token);
        await entered.Task.WithTimeout();
        await timeout.CancelAsync();
        release.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WithTimeout());
        Assert.Equal(1, renders);
        var finished = Assert.Single(silo.Logs.Entries, static e => e.EventId.Id == 4541);
        Assert.StartsWith("Prerendering 3 paths of 1 routes stopped early (timeout or shutdown) in ", finished.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddStaticParamsPrerender_SiloStart_PrerendersEveryListedPathBeforeTheSiloIsReady()
    {
        var renders = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var allRendered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var silo = await RouteSilo.StartAsync(
            settings: [],
            configureServices: static services => services.AddStaticParamsPrerender(),
            Blog(Slugs("a", "b", "c"), async (_, context) =>
            {
                await gate.Task;
                renders.AddOrUpdate(context.Params["slug"], 1, static (_, n) => n + 1);
                if (renders.Count == 3)
                {
                    allRendered.TrySetResult();
                }

                return RouteResponse.Text("post");
            }));
        var readiness = silo.Services.GetRequiredService<IClusterReadiness>();

        // The host has started, the renders wait at the gate: the silo is Active but not ready.
        Assert.False(readiness.IsReady);
        Assert.Equal("WarmingUp", readiness.State);
        gate.SetResult();
        await allRendered.Task.WithTimeout();
        await Eventually(() => readiness.IsReady);

        Assert.Single(silo.Services.GetServices<ISiloStartupTask>().OfType<StaticParamsPrerenderer>());
        Assert.All(renders.Values, static n => Assert.Equal(1, n));
        var reply = await silo.ReplyAsync(RouteSilo.Invocation(Pattern, path: "/blog/b", @params: RouteParams.Of(("slug", "b"))));
        Assert.Equal(RouteCacheStatus.Hit, reply.Cache);
        Assert.Contains(silo.Logs.Entries, static e => e.EventId.Id == 4541
            && e.Message.EndsWith(": 3 rendered, 0 already cached, 0 not cached, 0 failed.", StringComparison.Ordinal));
    }

    [Fact]
    public void CreateInvocation_IsAQuerylessHeaderlessGetOfLocalhost()
    {
        var invocation = StaticParamsPrerenderer.CreateInvocation(new StaticParamsPath(Pattern, "/blog/a%20b", RouteParams.Of(("slug", "a b"))));

        Assert.Equal(Pattern, invocation.Pattern);
        Assert.Equal(RouteMethod.Get, invocation.Handler);
        Assert.Equal("GET", invocation.Method);
        Assert.Equal("http", invocation.Scheme);
        Assert.Equal("localhost", invocation.Host);
        Assert.Equal("/blog/a%20b", invocation.Path);
        Assert.Equal(string.Empty, invocation.QueryString);
        Assert.Same(RouteHeaders.Empty, invocation.Headers);
        Assert.True(invocation.Body.IsEmpty);
        Assert.Equal("a b", invocation.Params["slug"]);
    }

    // A silo whose prerenderer a test runs itself: the index is built at start, and no start-up task runs on its own.
    private static Task<RouteSilo> StartAsync(IEnumerable<KeyValuePair<string, string?>> settings, params RouteDefinition[] routes)
        => RouteSilo.StartAsync(
            settings,
            configureServices: static services =>
            {
                services.AddStaticParams();
                services.RemoveAll<ISiloStartupTask>();
            },
            routes);

    private static StaticParamsPrerenderer CreateSut(RouteSilo silo)
        => ActivatorUtilities.CreateInstance<StaticParamsPrerenderer>(silo.Services);

    private static RouteDefinition Blog(Func<ValueTask<IEnumerable<RouteParams>>> slugs, Func<RouteRequest, RouteContext, ValueTask<RouteResponse?>> render)
        => RouteSilo.Route(Pattern, RouteMethods.Get, (_, request, context) => render(request, context), new RouteConfig { Revalidate = 60 }, slugs);

    private static Func<ValueTask<IEnumerable<RouteParams>>> Slugs(params string[] slugs)
        => () => new ValueTask<IEnumerable<RouteParams>>(slugs.Select(static s => RouteParams.Of(("slug", s))).ToArray());

    private static Func<ValueTask<IEnumerable<RouteParams>>> Ids(params string[] ids)
        => () => new ValueTask<IEnumerable<RouteParams>>(ids.Select(static s => RouteParams.Of(("id", s))).ToArray());

    private static ValueTask<RouteResponse?> Text(string text) => new(RouteResponse.Text(text));

    private static void InterlockedMax(ref int location, int value)
    {
        var current = Volatile.Read(ref location);
        while (current < value)
        {
            var seen = Interlocked.CompareExchange(ref location, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    // Waits for a state the silo reaches in the background (readiness after its warm-up), bounded.
    private static async Task Eventually(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < TestTimeouts.Default, "The condition did not hold in time.");
            await Task.Delay(10);
        }
    }
}
