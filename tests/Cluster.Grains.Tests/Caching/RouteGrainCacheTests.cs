using System.Text;
using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Grains.Tests.TestInfrastructure;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Tests.Caching;

public sealed class RouteGrainCacheTests
{
    private const string NoStore = "private, no-cache, no-store, max-age=0, must-revalidate";

    [Fact]
    public async Task Get_ForceStatic_HandlerSeesNoHeadersCookiesOrQueryAndAQuerylessUrl()
    {
        RouteRequest? seen = null;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/static", RouteMethods.Get, (_, request, _) =>
            {
                seen = request;
                return Ok($"{request.Headers.Count}|{request.Cookies.Count}|{request.Query.Count}|{request.QueryString}|{request.Url}");
            }, new RouteConfig { Dynamic = DynamicMode.ForceStatic }));
        var headers = RouteHeaders.FromPairs([new("x-user", "alice"), new("cookie", "session=1")]);

        var reply = await silo.ReplyAsync(RouteSilo.Invocation("/static", headers: headers, queryString: "?q=1"));

        Assert.Equal(RouteCacheStatus.Miss, reply.Cache);
        Assert.Equal("0|0|0||http://localhost/static", Body(reply));
        Assert.Equal("GET", seen!.Method);
        Assert.True(seen.Body.IsEmpty);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Get_DynamicError_HandlerReadsHeaders_Answers500LogsTheRouteAndTheRead_AndStoresNothing(bool handlerCatches)
    {
        var renders = 0;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/strict", RouteMethods.Get, (_, request, _) =>
            {
                Interlocked.Increment(ref renders);
                try
                {
                    return Ok(request.Headers["x-user"] ?? "none");
                }
                catch (StaticGenerationBailoutException) when (handlerCatches)
                {
                    // The bail-out still fails the render: the runtime saw the read.
                    return Ok("caught");
                }
            }, new RouteConfig { Dynamic = DynamicMode.Error }));

        var first = await silo.ReplyAsync(RouteSilo.Invocation("/strict"));
        var second = await silo.ReplyAsync(RouteSilo.Invocation("/strict"));

        Assert.Equal(500, first.Response.Status);
        Assert.True(first.Response.Body.IsEmpty);
        Assert.Equal(NoStore, Header(first.Response, "cache-control"));
        Assert.Equal(TimeSpan.Zero, first.FreshFor);
        Assert.Equal(500, second.Response.Status);
        Assert.Equal(2, renders);
        Assert.Equal(0, silo.Store.Count);
        var errors = silo.Logs.Entries.Where(static e => e.EventId.Id == 4510).ToList();
        Assert.Equal(2, errors.Count);
        Assert.All(errors, static e =>
        {
            Assert.Equal(LogLevel.Error, e.Level);
            Assert.Contains("Route /strict with Dynamic = Error couldn't be rendered statically because it used request.Headers", e.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Get_DynamicError_HandlerReadsNothing_IsCachedForever()
    {
        var renders = 0;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/strict", RouteMethods.Get, (_, request, _) => Ok($"v{Interlocked.Increment(ref renders)} {request.Path}"), new RouteConfig { Dynamic = DynamicMode.Error }));

        var first = await silo.ReplyAsync(RouteSilo.Invocation("/strict"));
        silo.CacheTime.Advance(TimeSpan.FromDays(400));
        var second = await silo.ReplyAsync(RouteSilo.Invocation("/strict"));

        Assert.Equal((RouteCacheStatus.Miss, "v1 /strict"), (first.Cache, Body(first)));
        Assert.Equal((RouteCacheStatus.Hit, "v1 /strict"), (second.Cache, Body(second)));
        Assert.Equal(Timeout.InfiniteTimeSpan, second.FreshFor);
        Assert.Equal(1, renders);
    }

    [Fact]
    public async Task Get_AutoWithRevalidate_HandlerReadsHeaders_FallsBackToDynamicWithTheRealRequest_LogsOnce()
    {
        var renders = 0;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/auto", RouteMethods.Get, (_, request, _) =>
            {
                Interlocked.Increment(ref renders);
                return Ok(request.Headers["x-user"] ?? "nobody");
            }, new RouteConfig { Revalidate = 60 }));

        var alice = await silo.ReplyAsync(RouteSilo.Invocation("/auto", headers: RouteHeaders.FromPairs([new("x-user", "alice")])));
        var bob = await silo.ReplyAsync(RouteSilo.Invocation("/auto", headers: RouteHeaders.FromPairs([new("x-user", "bob")])));

        Assert.Equal((RouteCacheStatus.None, "alice"), (alice.Cache, Body(alice)));
        Assert.Equal((RouteCacheStatus.None, "bob"), (bob.Cache, Body(bob)));
        Assert.Equal(TimeSpan.Zero, alice.FreshFor);
        Assert.Null(Header(alice.Response, "cache-control"));

        // The discarded static render, then one dynamic render per request.
        Assert.Equal(3, renders);
        Assert.Equal(0, silo.Store.Count);
        var warning = Assert.Single(silo.Logs.Entries, static e => e.EventId.Id == 4512);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("/auto", warning.Message, StringComparison.Ordinal);
        Assert.Contains("request.Headers", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AutoRouteFallsBackToDynamic_DropsItsEarlierEntriesAndTellsTheGateways()
    {
        // A route that reads request data only on some paths: /items/a is cached first, then /items/b reads a header.
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/items/[key]", RouteMethods.Get, (_, request, _) =>
                Ok(request.Path.EndsWith("/b", StringComparison.Ordinal) ? request.Headers["x-user"] ?? "nobody" : request.Path),
                new RouteConfig { Revalidate = 60 }));

        var cached = await silo.ReplyAsync(RouteSilo.Invocation("/items/[key]", path: "/items/a"));
        Assert.Equal(RouteCacheStatus.Miss, cached.Cache);
        Assert.Equal(1, silo.Store.Count);

        var dynamic = await silo.ReplyAsync(RouteSilo.Invocation("/items/[key]", path: "/items/b"));
        var again = await silo.ReplyAsync(RouteSilo.Invocation("/items/[key]", path: "/items/a"));

        Assert.Equal(RouteCacheStatus.None, dynamic.Cache);
        Assert.Equal((RouteCacheStatus.None, "/items/a"), (again.Cache, Body(again)));
        Assert.Equal(0, silo.Store.Count);
        var notice = Assert.Single(silo.Broadcasts.Sent);
        Assert.Equal(NearCacheInvalidation.Topic, notice.Topic);
        Assert.Equal(new NearCacheInvalidation("/items/[key]", null), NearCacheInvalidation.FromPayload(notice.Payload));
    }

    [Fact]
    public async Task Get_AutoWithRevalidate_HandlerReadsOnlyThePath_IsCached()
    {
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/auto", RouteMethods.Get, (_, request, _) => Ok(request.Path), new RouteConfig { Revalidate = 60 }));

        var first = await silo.ReplyAsync(RouteSilo.Invocation("/auto"));
        var second = await silo.ReplyAsync(RouteSilo.Invocation("/auto"));

        Assert.Equal(RouteCacheStatus.Miss, first.Cache);
        Assert.Equal(RouteCacheStatus.Hit, second.Cache);
        Assert.DoesNotContain(silo.Logs.Entries, static e => e.EventId.Id == 4512);
    }

    [Fact]
    public async Task Get_Isr_MissThenHitThenStaleThenRegeneratedHit_DrivenByTheClock()
    {
        var renders = 0;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/isr", RouteMethods.Get, (_, _, _) => Ok($"v{Interlocked.Increment(ref renders)}"), new RouteConfig { Revalidate = 60 }));

        var miss = await silo.ReplyAsync(RouteSilo.Invocation("/isr"));
        var hit = await silo.ReplyAsync(RouteSilo.Invocation("/isr"));
        silo.CacheTime.Advance(TimeSpan.FromSeconds(59));
        var lastHit = await silo.ReplyAsync(RouteSilo.Invocation("/isr"));
        silo.CacheTime.Advance(TimeSpan.FromSeconds(1));
        var regenerated = silo.Store.NextSetAsync("/isr");
        var stale = await silo.ReplyAsync(RouteSilo.Invocation("/isr"));
        var entry = await regenerated;
        var fresh = await silo.ReplyAsync(RouteSilo.Invocation("/isr"));

        Assert.Equal((RouteCacheStatus.Miss, "v1", TimeSpan.FromSeconds(60)), (miss.Cache, Body(miss), miss.FreshFor));
        Assert.Equal((RouteCacheStatus.Hit, "v1", TimeSpan.FromSeconds(60)), (hit.Cache, Body(hit), hit.FreshFor));
        Assert.Equal((RouteCacheStatus.Hit, "v1", TimeSpan.FromSeconds(1)), (lastHit.Cache, Body(lastHit), lastHit.FreshFor));
        Assert.Equal((RouteCacheStatus.Stale, "v1", TimeSpan.Zero), (stale.Cache, Body(stale), stale.FreshFor));
        Assert.Equal((RouteCacheStatus.Hit, "v2", TimeSpan.FromSeconds(60)), (fresh.Cache, Body(fresh), fresh.FreshFor));
        Assert.Equal(silo.CacheTime.GetUtcNow().AddSeconds(60), entry.StaleAt);
        Assert.Equal(2, renders);
    }

    [Fact]
    public async Task Get_100ConcurrentRequestsOnAStaleEntry_OneRegeneration_AllServedStale()
    {
        var renders = 0;
        var gate = new Gate();
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/hot", RouteMethods.Get, async (_, _, _) =>
            {
                var n = Interlocked.Increment(ref renders);
                if (n > 1)
                {
                    await gate.PassAsync();
                }

                return RouteResponse.Text($"v{n}");
            }, new RouteConfig { Revalidate = 10 }));
        await silo.ReplyAsync(RouteSilo.Invocation("/hot"));
        silo.CacheTime.Advance(TimeSpan.FromSeconds(10));
        var regenerated = silo.Store.NextSetAsync("/hot");

        // The regeneration is held at the gate while all 100 requests run, so they really overlap it.
        var replies = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => Task.Run(() => silo.ReplyAsync(RouteSilo.Invocation("/hot"))))).WithTimeout();
        await gate.Entered.WithTimeout();
        var rendersWhileHeld = Volatile.Read(ref renders);
        gate.Release();
        await regenerated;
        var after = await silo.ReplyAsync(RouteSilo.Invocation("/hot"));

        Assert.All(replies, static r => Assert.Equal((RouteCacheStatus.Stale, "v1"), (r.Cache, Body(r))));
        Assert.Equal(2, rendersWhileHeld);
        Assert.Equal(2, renders);
        Assert.Equal((RouteCacheStatus.Hit, "v2"), (after.Cache, Body(after)));
    }

    [Fact]
    public async Task Get_50ConcurrentMissesOfOnePath_RenderOnce_AllMiss()
    {
        var renders = 0;
        var gate = new Gate();
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/page/[id]", RouteMethods.Get, async (_, request, _) =>
            {
                if (request.Path == "/page/warm")
                {
                    return RouteResponse.Text("warm");
                }

                Interlocked.Increment(ref renders);
                await gate.PassAsync();
                return RouteResponse.Text("rendered");
            }, new RouteConfig { Dynamic = DynamicMode.ForceStatic }));

        // Activated first, so each call below runs into the grain on its own thread before it returns its task.
        await silo.ReplyAsync(Page("warm"));
        var issued = 0;
        var allIssued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = Enumerable.Range(0, 50).Select(_ => Task.Run(() =>
        {
            var call = silo.ReplyAsync(Page("1"));
            if (Interlocked.Increment(ref issued) == 50)
            {
                allIssued.SetResult();
            }

            return call;
        })).ToArray();
        await allIssued.Task.WithTimeout();
        await gate.Entered.WithTimeout();
        gate.Release();
        var replies = await Task.WhenAll(calls).WithTimeout();

        Assert.All(replies, static r => Assert.Equal((RouteCacheStatus.Miss, "rendered", Timeout.InfiniteTimeSpan), (r.Cache, Body(r), r.FreshFor)));
        Assert.Equal(1, renders);
        Assert.Equal(RouteCacheStatus.Hit, (await silo.ReplyAsync(Page("1"))).Cache);
    }

    public static TheoryData<int, string, int> FailingRegenerations => new()
    {
        { 1, "throws", 3 },
        { 10, "null", 10 },
        { 60, "500", 30 },
        { 60, "503", 30 },
    };

    [Theory]
    [MemberData(nameof(FailingRegenerations))]
    public async Task Get_RegenerationFails_KeepsTheStaleBody_HitUntilTheClampedRetryWindow_ThenOneRetry(int revalidate, string failure, int retrySeconds)
    {
        var renders = 0;
        var failing = false;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/flaky", RouteMethods.Get, (_, _, _) =>
            {
                var n = Interlocked.Increment(ref renders);
                return !Volatile.Read(ref failing) ? Ok($"v{n}") : failure switch
                {
                    "throws" => throw new InvalidOperationException("backend down"),
                    "null" => ValueTask.FromResult<RouteResponse?>(null),
                    _ => ValueTask.FromResult<RouteResponse?>(RouteResponse.Text("oops", int.Parse(failure, System.Globalization.CultureInfo.InvariantCulture))),
                };
            }, new RouteConfig { Revalidate = revalidate }));
        using var meter = new RouteCacheMeterListener(silo.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        await silo.ReplyAsync(RouteSilo.Invocation("/flaky"));
        Volatile.Write(ref failing, true);
        silo.CacheTime.Advance(TimeSpan.FromSeconds(revalidate));

        var rearmed = silo.Store.NextSetAsync("/flaky");
        var stale = await silo.ReplyAsync(RouteSilo.Invocation("/flaky"));
        var entry = await rearmed;
        await meter.WhenAsync(() => meter.Sum("cluster.route_cache.regenerations", ("outcome", "failure")) == 1);
        var failedAt = silo.CacheTime.GetUtcNow();
        var hit = await silo.ReplyAsync(RouteSilo.Invocation("/flaky"));
        silo.CacheTime.Advance(TimeSpan.FromSeconds(retrySeconds) - TimeSpan.FromMilliseconds(1));
        var lastHit = await silo.ReplyAsync(RouteSilo.Invocation("/flaky"));
        var rendersBeforeRetry = Volatile.Read(ref renders);
        silo.CacheTime.Advance(TimeSpan.FromMilliseconds(1));
        var retried = silo.Store.NextSetAsync("/flaky");
        var staleAgain = await silo.ReplyAsync(RouteSilo.Invocation("/flaky"));
        await retried;

        Assert.Equal((RouteCacheStatus.Stale, "v1"), (stale.Cache, Body(stale)));
        Assert.Equal(failedAt.AddSeconds(retrySeconds), entry.StaleAt);
        Assert.Equal((RouteCacheStatus.Hit, "v1", TimeSpan.FromSeconds(retrySeconds)), (hit.Cache, Body(hit), hit.FreshFor));
        Assert.Equal((RouteCacheStatus.Hit, "v1"), (lastHit.Cache, Body(lastHit)));
        Assert.Equal(2, rendersBeforeRetry);
        Assert.Equal((RouteCacheStatus.Stale, "v1"), (staleAgain.Cache, Body(staleAgain)));
        Assert.Equal(3, renders);
        var warnings = silo.Logs.Entries.Where(static e => e.EventId.Id == 4511).ToList();
        Assert.Equal(2, warnings.Count);
        Assert.All(warnings, e =>
        {
            Assert.Equal(LogLevel.Warning, e.Level);
            Assert.Contains("/flaky", e.Message, StringComparison.Ordinal);
            Assert.Equal(failure == "throws", e.Exception is InvalidOperationException);
        });
    }

    [Fact]
    public async Task Get_FirstRenderThrows_Answers500NotStored_LikeADynamicRoute()
    {
        var renders = 0;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/broken", RouteMethods.Get, (_, _, _) =>
            {
                Interlocked.Increment(ref renders);
                throw new InvalidOperationException("secret detail");
            }, new RouteConfig { Revalidate = 60 }));

        var first = await silo.ReplyAsync(RouteSilo.Invocation("/broken"));
        var second = await silo.ReplyAsync(RouteSilo.Invocation("/broken"));

        Assert.Equal((500, RouteCacheStatus.Miss), (first.Response.Status, first.Cache));
        Assert.True(first.Response.Body.IsEmpty);
        Assert.Equal(TimeSpan.Zero, first.FreshFor);
        Assert.Equal(500, second.Response.Status);
        Assert.Equal(2, renders);
        Assert.Equal(0, silo.Store.Count);
        Assert.Equal(2, silo.Logs.Entries.Count(static e => e.EventId.Id == 4500 && e.Level == LogLevel.Error && e.Message.Contains("/broken", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(500, false)]
    [InlineData(403, false)]
    [InlineData(400, false)]
    [InlineData(404, true)]
    [InlineData(200, true)]
    [InlineData(308, true)]
    public async Task Get_ResponseStatus_StoredOnlyBelow400Or404(int status, bool stored)
    {
        var renders = 0;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/status", RouteMethods.Get, (_, _, _) =>
            {
                Interlocked.Increment(ref renders);
                return ValueTask.FromResult<RouteResponse?>(RouteResponse.Empty(status));
            }, new RouteConfig { Dynamic = DynamicMode.ForceStatic }));

        var first = await silo.ReplyAsync(RouteSilo.Invocation("/status"));
        var second = await silo.ReplyAsync(RouteSilo.Invocation("/status"));

        Assert.Equal(status, first.Response.Status);
        Assert.Equal(RouteCacheStatus.Miss, first.Cache);
        Assert.Equal(stored ? RouteCacheStatus.Hit : RouteCacheStatus.Miss, second.Cache);
        Assert.Equal(stored ? 1 : 2, renders);
        Assert.Equal(stored ? 1 : 0, silo.Store.Count);
        Assert.Equal(stored ? "s-maxage=31536000" : NoStore, Header(first.Response, "cache-control"));
        Assert.Equal(stored ? Timeout.InfiniteTimeSpan : TimeSpan.Zero, first.FreshFor);
    }

    public static TheoryData<string, RouteConfig, bool, string> CacheControls => new()
    {
        { "isr", new RouteConfig { Revalidate = 60 }, false, "s-maxage=60, stale-while-revalidate=31535940" },
        { "isr of a year", new RouteConfig { Revalidate = 31_536_000 }, false, "s-maxage=31536000" },
        { "force-static", new RouteConfig { Dynamic = DynamicMode.ForceStatic }, false, "s-maxage=31536000" },
        { "error", new RouteConfig { Dynamic = DynamicMode.Error, Revalidate = 5 }, false, "s-maxage=5, stale-while-revalidate=31535995" },
        { "static params only", RouteConfig.Default, true, "s-maxage=31536000" },
    };

    [Theory]
    [MemberData(nameof(CacheControls))]
    public async Task Get_StoredResponse_CarriesTheComputedCacheControl(string name, RouteConfig config, bool staticParams, string expected)
    {
        _ = name;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/cc", RouteMethods.Get, static (_, _, _) => Ok("x"), config, staticParams ? static () => ValueTask.FromResult<IEnumerable<RouteParams>>([]) : null));

        var miss = await silo.ReplyAsync(RouteSilo.Invocation("/cc"));
        var hit = await silo.ReplyAsync(RouteSilo.Invocation("/cc"));

        Assert.Equal(RouteCacheStatus.Miss, miss.Cache);
        Assert.Equal(expected, Header(miss.Response, "cache-control"));
        Assert.Equal(expected, Header(hit.Response, "cache-control"));
        Assert.Single(miss.Response.Headers);
    }

    [Theory]
    [InlineData("Cache-Control")]
    [InlineData("cache-control")]
    [InlineData("CACHE-CONTROL")]
    public async Task Get_HandlerSetsCacheControl_ItsValueWins(string name)
    {
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/own", RouteMethods.Get, (_, _, _) => ValueTask.FromResult<RouteResponse?>(RouteResponse.Text("x").WithHeader(name, "public, max-age=5")),
                new RouteConfig { Revalidate = 60 }));

        var miss = await silo.ReplyAsync(RouteSilo.Invocation("/own"));
        var hit = await silo.ReplyAsync(RouteSilo.Invocation("/own"));

        Assert.Equal(RouteCacheStatus.Hit, hit.Cache);
        var header = Assert.Single(hit.Response.Headers);
        Assert.Equal((name, "public, max-age=5"), (header.Key, header.Value));
        Assert.Single(miss.Response.Headers);
    }

    [Fact]
    public async Task Get_NotStoredResponseWithItsOwnCacheControl_KeepsIt()
    {
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/own", RouteMethods.Get, static (_, _, _) => ValueTask.FromResult<RouteResponse?>(RouteResponse.Empty(403).WithHeader("Cache-Control", "max-age=1")),
                new RouteConfig { Dynamic = DynamicMode.ForceStatic }));

        var reply = await silo.ReplyAsync(RouteSilo.Invocation("/own"));

        var header = Assert.Single(reply.Response.Headers);
        Assert.Equal("max-age=1", header.Value);
    }

    [Fact]
    public async Task Post_OnACachedRoute_IsNeverCached_AndSeesTheRealRequest()
    {
        var posts = 0;
        var gets = 0;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/mixed", RouteMethods.Get | RouteMethods.Post, (method, request, _) =>
            {
                if (method == RouteMethod.Post)
                {
                    Interlocked.Increment(ref posts);
                    return Ok(request.Headers["x-user"] ?? "none");
                }

                Interlocked.Increment(ref gets);
                return Ok("page");
            }, new RouteConfig { Dynamic = DynamicMode.ForceStatic }));
        var headers = RouteHeaders.FromPairs([new("x-user", "alice")]);

        var post1 = await silo.ReplyAsync(RouteSilo.Invocation("/mixed", RouteMethod.Post, headers: headers));
        var post2 = await silo.ReplyAsync(RouteSilo.Invocation("/mixed", RouteMethod.Post, headers: headers));
        var get1 = await silo.ReplyAsync(RouteSilo.Invocation("/mixed"));
        var get2 = await silo.ReplyAsync(RouteSilo.Invocation("/mixed"));

        Assert.Equal((RouteCacheStatus.None, "alice"), (post1.Cache, Body(post1)));
        Assert.Equal((RouteCacheStatus.None, "alice"), (post2.Cache, Body(post2)));
        Assert.Null(Header(post1.Response, "cache-control"));
        Assert.Equal(2, posts);
        Assert.Equal((RouteCacheStatus.Miss, RouteCacheStatus.Hit), (get1.Cache, get2.Cache));
        Assert.Equal(1, gets);
    }

    [Fact]
    public async Task Head_OfACachedGet_IsServedFromTheSameEntry()
    {
        var renders = 0;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/doc", RouteMethods.Get, (_, _, _) => Ok($"v{Interlocked.Increment(ref renders)}"), new RouteConfig { Dynamic = DynamicMode.ForceStatic }));

        var head = await silo.ReplyAsync(RouteSilo.Invocation("/doc", method: "HEAD"));
        var get = await silo.ReplyAsync(RouteSilo.Invocation("/doc"));
        var headAgain = await silo.ReplyAsync(RouteSilo.Invocation("/doc", method: "HEAD"));

        Assert.Equal((RouteCacheStatus.Miss, "v1"), (head.Cache, Body(head)));
        Assert.Equal((RouteCacheStatus.Hit, "v1"), (get.Cache, Body(get)));
        Assert.Same(get.Response, headAgain.Response);
        Assert.Equal(1, renders);
    }

    [Fact]
    public async Task Get_PathsOfADynamicRoute_AreSeparateEntries_AndTheQueryIsNotPartOfTheKey()
    {
        var renders = 0;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/blog/[slug]", RouteMethods.Get, (_, _, context) =>
            {
                Interlocked.Increment(ref renders);
                return Ok(context.Params["slug"]!);
            }, new RouteConfig { Revalidate = 60 }));

        var a = await silo.ReplyAsync(Post("a", "?x=1"));
        var b = await silo.ReplyAsync(Post("b", string.Empty));
        var aOtherQuery = await silo.ReplyAsync(Post("a", "?y=2"));

        Assert.Equal((RouteCacheStatus.Miss, "a"), (a.Cache, Body(a)));
        Assert.Equal((RouteCacheStatus.Miss, "b"), (b.Cache, Body(b)));
        Assert.Equal((RouteCacheStatus.Hit, "a"), (aOtherQuery.Cache, Body(aOtherQuery)));
        Assert.Equal(2, renders);
        Assert.Equal(["/blog/a", "/blog/b"], silo.Store.EntriesOf("/blog/[slug]").Select(static e => e.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Get_NotCachedRoute_AnswersNone_AndStoresNothing()
    {
        var renders = 0;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/dynamic", RouteMethods.Get, (_, _, _) => Ok($"v{Interlocked.Increment(ref renders)}"), new RouteConfig { Revalidate = 0 }));

        var first = await silo.ReplyAsync(RouteSilo.Invocation("/dynamic"));
        var second = await silo.ReplyAsync(RouteSilo.Invocation("/dynamic"));

        Assert.Equal((RouteCacheStatus.None, "v1", TimeSpan.Zero), (first.Cache, Body(first), first.FreshFor));
        Assert.Equal((RouteCacheStatus.None, "v2"), (second.Cache, Body(second)));
        Assert.Equal(0, silo.Store.Count);
        Assert.Equal(0, await silo.InvalidateAsync("/dynamic", null));
        Assert.Empty(silo.Broadcasts.Sent);
    }

    [Fact]
    public async Task Get_CachedRouteCalledAsAStatelessWorker_IsNotCached()
    {
        // A gateway whose Cluster:Routes differs from the silo's: the worker type never owns a cache.
        var renders = 0;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/static", RouteMethods.Get, (_, _, _) => Ok($"v{Interlocked.Increment(ref renders)}"), new RouteConfig { Dynamic = DynamicMode.ForceStatic }));
        var worker = silo.GrainFactory.GetRouteGrain("/static", statelessWorker: true);

        var first = await worker.InvokeAsync(RouteSilo.Invocation("/static")).WithTimeout();
        var second = await worker.InvokeAsync(RouteSilo.Invocation("/static")).WithTimeout();

        Assert.Equal((RouteCacheStatus.None, RouteCacheStatus.None), (first.Cache, second.Cache));
        Assert.Equal(2, renders);
        Assert.Equal(0, silo.Store.Count);
    }

    [Fact]
    public async Task Get_MissCallerGoesAway_OthersStillGetTheRender_AndItIsStored()
    {
        var gate = new Gate();
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/slow", RouteMethods.Get, async (_, _, context) =>
            {
                await gate.PassAsync();

                // A render is shared by every caller: no single client's abort reaches it.
                Assert.False(context.Aborted.CanBeCanceled);
                return RouteResponse.Text("done");
            }, new RouteConfig { Dynamic = DynamicMode.ForceStatic }));
        using var client = new CancellationTokenSource();

        var leaving = silo.ReplyAsync(RouteSilo.Invocation("/slow"), client.Token);
        await gate.Entered.WithTimeout();
        var staying = silo.ReplyAsync(RouteSilo.Invocation("/slow"));
        await client.CancelAsync();
        var left = await leaving;
        gate.Release();
        var stayed = await staying;
        var hit = await silo.ReplyAsync(RouteSilo.Invocation("/slow"));

        Assert.Equal(500, left.Response.Status);
        Assert.Equal((RouteCacheStatus.Miss, "done"), (stayed.Cache, Body(stayed)));
        Assert.Equal((RouteCacheStatus.Hit, "done"), (hit.Cache, Body(hit)));
        Assert.DoesNotContain(silo.Logs.Entries, static e => e.Level >= LogLevel.Warning);
    }

    [Fact]
    public async Task Invalidate_OnePath_DropsOnlyIt_BroadcastsTheNearCacheInvalidation_NextGetMisses()
    {
        var renders = 0;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/blog/[slug]", RouteMethods.Get, (_, request, _) => Ok($"{request.Path} v{Interlocked.Increment(ref renders)}"), new RouteConfig { Revalidate = 60 }));
        await silo.ReplyAsync(Post("a", string.Empty));
        await silo.ReplyAsync(Post("b", string.Empty));

        var dropped = await silo.InvalidateAsync("/blog/[slug]", "/blog/a");
        var a = await silo.ReplyAsync(Post("a", string.Empty));
        var b = await silo.ReplyAsync(Post("b", string.Empty));
        var droppedAgain = await silo.InvalidateAsync("/blog/[slug]", "/blog/missing");

        Assert.Equal(1, dropped);
        Assert.Equal((RouteCacheStatus.Miss, "/blog/a v3"), (a.Cache, Body(a)));
        Assert.Equal((RouteCacheStatus.Hit, "/blog/b v2"), (b.Cache, Body(b)));
        Assert.Equal(0, droppedAgain);
        var sent = silo.Broadcasts.Sent.ToList();
        Assert.Equal(2, sent.Count);
        Assert.All(sent, static s => Assert.Equal(NearCacheInvalidation.Topic, s.Topic));
        Assert.Equal(new NearCacheInvalidation("/blog/[slug]", "/blog/a"), NearCacheInvalidation.FromPayload(sent[0].Payload));
        Assert.Equal(new NearCacheInvalidation("/blog/[slug]", "/blog/missing"), NearCacheInvalidation.FromPayload(sent[1].Payload));
    }

    [Fact]
    public async Task Invalidate_WholeRoute_DropsEveryPathOfItOnly_AndBroadcastsANullPath()
    {
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/blog/[slug]", RouteMethods.Get, static (_, request, _) => Ok(request.Path), new RouteConfig { Revalidate = 60 }),
            RouteSilo.Route("/other", RouteMethods.Get, static (_, request, _) => Ok(request.Path), new RouteConfig { Revalidate = 60 }));
        await silo.ReplyAsync(Post("a", string.Empty));
        await silo.ReplyAsync(Post("b", string.Empty));
        await silo.ReplyAsync(RouteSilo.Invocation("/other"));

        var dropped = await silo.InvalidateAsync("/blog/[slug]", null);

        Assert.Equal(2, dropped);
        Assert.Empty(silo.Store.EntriesOf("/blog/[slug]"));
        Assert.Equal(1, silo.Store.Count);
        var sent = Assert.Single(silo.Broadcasts.Sent);
        Assert.Equal(new NearCacheInvalidation("/blog/[slug]", null), NearCacheInvalidation.FromPayload(sent.Payload));
        Assert.Equal(RouteCacheStatus.Miss, (await silo.ReplyAsync(Post("a", string.Empty))).Cache);
    }

    [Fact]
    public async Task Invalidate_CompletesOnlyOnceTheBroadcastIsConfirmed()
    {
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/static", RouteMethods.Get, static (_, _, _) => Ok("x"), new RouteConfig { Dynamic = DynamicMode.ForceStatic }));
        await silo.ReplyAsync(RouteSilo.Invocation("/static"));
        var confirm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        silo.Broadcasts.Hold = confirm.Task;

        var invalidation = silo.InvalidateAsync("/static", "/static");
        await WhenAsync(() => silo.Broadcasts.Sent.Count > 0);
        var completedBeforeConfirmation = invalidation.IsCompleted;
        var countWhileWaiting = silo.Store.Count;
        confirm.SetResult();

        Assert.Equal(1, await invalidation);
        Assert.False(completedBeforeConfirmation);
        Assert.Equal(0, countWhileWaiting);
    }

    [Fact]
    public async Task Invalidate_WhileARenderOfThePathRuns_ThatRenderIsNotStored_ItsCallersGetItAsMiss()
    {
        var renders = 0;
        var gate = new Gate();
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/news", RouteMethods.Get, async (_, _, _) =>
            {
                var n = Interlocked.Increment(ref renders);
                if (n == 1)
                {
                    await gate.PassAsync();
                }

                return RouteResponse.Text($"v{n}");
            }, new RouteConfig { Revalidate = 60 }));

        var inFlight = silo.ReplyAsync(RouteSilo.Invocation("/news"));
        await gate.Entered.WithTimeout();
        var dropped = await silo.InvalidateAsync("/news", "/news");
        gate.Release();
        var old = await inFlight;
        var countAfterOldRender = silo.Store.Count;
        var next = await silo.ReplyAsync(RouteSilo.Invocation("/news"));

        Assert.Equal(0, dropped);
        Assert.Equal((RouteCacheStatus.Miss, "v1", TimeSpan.Zero), (old.Cache, Body(old), old.FreshFor));
        Assert.Equal(NoStore, Header(old.Response, "cache-control"));
        Assert.Equal(0, countAfterOldRender);
        Assert.Equal((RouteCacheStatus.Miss, "v2"), (next.Cache, Body(next)));
        Assert.Equal(RouteCacheStatus.Hit, (await silo.ReplyAsync(RouteSilo.Invocation("/news"))).Cache);
    }

    [Fact]
    public async Task Invalidate_WhileARegenerationRuns_ItDoesNotReinstateTheEntry()
    {
        var renders = 0;
        var gate = new Gate();
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/news", RouteMethods.Get, async (_, _, _) =>
            {
                var n = Interlocked.Increment(ref renders);
                if (n == 2)
                {
                    await gate.PassAsync();
                }

                return RouteResponse.Text($"v{n}");
            }, new RouteConfig { Revalidate = 60 }));
        using var meter = new RouteCacheMeterListener(silo.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        await silo.ReplyAsync(RouteSilo.Invocation("/news"));
        silo.CacheTime.Advance(TimeSpan.FromSeconds(60));

        var stale = await silo.ReplyAsync(RouteSilo.Invocation("/news"));
        await gate.Entered.WithTimeout();
        await silo.InvalidateAsync("/news", null);
        var afterInvalidation = await silo.ReplyAsync(RouteSilo.Invocation("/news"));
        gate.Release();
        await meter.WhenAsync(() => meter.Sum("cluster.route_cache.regenerations") == 1);

        Assert.Equal((RouteCacheStatus.Stale, "v1"), (stale.Cache, Body(stale)));

        // The request after the invalidation did not join the abandoned regeneration: it rendered afresh.
        Assert.Equal((RouteCacheStatus.Miss, "v3"), (afterInvalidation.Cache, Body(afterInvalidation)));
        var entry = Assert.Single(silo.Store.EntriesOf("/news"));
        Assert.Equal("v3", Encoding.UTF8.GetString(entry.Value.Response.Body.Span));
    }

    [Fact]
    public async Task Metrics_CountRequestsByOutcomeAndRoute_RegenerationsByOutcome_AndGaugeTheStore()
    {
        var failing = false;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/m", RouteMethods.Get, (_, _, _) => Volatile.Read(ref failing)
                ? throw new InvalidOperationException("down")
                : Ok("body"), new RouteConfig { Revalidate = 10 }));
        using var meter = new RouteCacheMeterListener(silo.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());

        await silo.ReplyAsync(RouteSilo.Invocation("/m"));
        await silo.ReplyAsync(RouteSilo.Invocation("/m"));
        silo.CacheTime.Advance(TimeSpan.FromSeconds(10));
        await silo.ReplyAsync(RouteSilo.Invocation("/m"));
        await meter.WhenAsync(() => meter.Sum("cluster.route_cache.regenerations", ("outcome", "success")) == 1);
        Volatile.Write(ref failing, true);
        silo.CacheTime.Advance(TimeSpan.FromSeconds(10));
        await silo.ReplyAsync(RouteSilo.Invocation("/m"));
        await meter.WhenAsync(() => meter.Sum("cluster.route_cache.regenerations", ("outcome", "failure")) == 1);

        Assert.Equal(1, meter.Sum("cluster.route_cache.requests", ("cache.status", "miss"), ("http.route", "/m")));
        Assert.Equal(1, meter.Sum("cluster.route_cache.requests", ("cache.status", "hit"), ("http.route", "/m")));
        Assert.Equal(2, meter.Sum("cluster.route_cache.requests", ("cache.status", "stale"), ("http.route", "/m")));
        Assert.Equal(2, meter.Sum("cluster.route_cache.regenerations"));
        Assert.Equal(1, meter.Gauge("cluster.route_cache.entries"));
        Assert.Equal(silo.Store.Bytes, meter.Gauge("cluster.route_cache.size"));
        Assert.True(silo.Store.Bytes > RouteCacheSizes.EntryOverhead);
    }

    [Fact]
    public async Task Versions_StartAtTheClockTicks_IncreaseAndNeverGoBelowAnObservedVersion()
    {
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/v", RouteMethods.Get, static (_, _, _) => Ok("x"), new RouteConfig { Dynamic = DynamicMode.ForceStatic }));
        var sut = ActivatorUtilities.CreateInstance<RouteGrain>(silo.Services);
        var ticks = silo.CacheTime.GetUtcNow().UtcTicks;

        var first = sut.NextVersion();
        var second = sut.NextVersion();
        sut.ObserveVersion(first + 1000);
        var afterObserving = sut.NextVersion();
        sut.ObserveVersion(5);
        var afterObservingLower = sut.NextVersion();

        Assert.True(first > ticks);
        Assert.True(second > first);
        Assert.True(afterObserving > first + 1000);
        Assert.True(afterObservingLower > afterObserving);
        Assert.False(sut.WasInvalidated("/v"));
    }

    [Fact]
    public async Task Store_EntriesOfARoute_CarryIncreasingVersionsAboveTheClockTicks()
    {
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/p/[id]", RouteMethods.Get, static (_, request, _) => Ok(request.Path), new RouteConfig { Revalidate = 60 }));
        var ticks = silo.CacheTime.GetUtcNow().UtcTicks;

        await silo.ReplyAsync(Page("1", "/p/[id]"));
        await silo.ReplyAsync(Page("2", "/p/[id]"));

        silo.Store.TryGet("/p/[id]", "/p/1", out var one);
        silo.Store.TryGet("/p/[id]", "/p/2", out var two);
        Assert.True(one!.Version > ticks);
        Assert.True(two!.Version > one.Version);
        Assert.Equal(silo.CacheTime.GetUtcNow(), one.CreatedAt);
    }

    private static ValueTask<RouteResponse?> Ok(string text) => ValueTask.FromResult<RouteResponse?>(RouteResponse.Text(text));

    private static string Body(RouteReply reply) => Encoding.UTF8.GetString(reply.Response.Body.Span);

    private static string? Header(RouteResponse response, string name)
        => response.Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(static h => h.Value).SingleOrDefault();

    private static Cluster.Routing.Wire.RouteInvocation Page(string id, string pattern = "/page/[id]")
        => RouteSilo.Invocation(pattern, @params: RouteParams.Of(("id", id)), path: pattern.Replace("[id]", id, StringComparison.Ordinal));

    private static Cluster.Routing.Wire.RouteInvocation Post(string slug, string query)
        => RouteSilo.Invocation("/blog/[slug]", @params: RouteParams.Of(("slug", slug)), path: "/blog/" + slug, queryString: query);

    // Bounded wait for a condition another thread makes true (no cache time involved).
    private static async Task WhenAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        while (!condition())
        {
            await Task.Delay(5, deadline.Token);
        }
    }

    /// <summary>Holds renders until the test releases them, and tells when the first one arrived.</summary>
    private sealed class Gate
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Entered => _entered.Task;

        public Task PassAsync()
        {
            _entered.TrySetResult();
            return _release.Task.WaitAsync(TestTimeouts.Default);
        }

        public void Release() => _release.TrySetResult();
    }
}
