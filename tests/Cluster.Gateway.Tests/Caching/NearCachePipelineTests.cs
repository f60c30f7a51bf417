using System.Net;
using Cluster.Gateway.Caching;
using Cluster.Gateway.Pipeline;
using Cluster.Gateway.Tests.Caching.TestSupport;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Grains.Caching;
using Cluster.Routing;
using Cluster.Runtime.Identity;

namespace Cluster.Gateway.Tests.Caching;

/// <summary>
/// The gateway's request path for cached routes, against scripted owners (<see cref="ScriptedRouteDispatcher"/>): what is
/// served from the near-cache, what reaches the owner, and the cache headers. Every test uses paths of its own.
/// </summary>
[Collection(NearCachePipelineCollection.Name)]
public sealed class NearCachePipelineTests(NearCachePipelineFixture fixture)
{
    private static readonly TimeSpan s_timeout = TestTimeouts.Default;

    private HttpClient Client => fixture.Host.Client;

    private ScriptedRouteDispatcher Owners => fixture.Owners;

    [Fact]
    public async Task Get_CachedRoute_MissThenHitFromTheNearCacheWithoutACall()
    {
        using var miss = await Client.GetAsync("/isr/miss-hit");
        using var hit = await Client.GetAsync("/isr/miss-hit");

        Assert.Equal("MISS", Header(miss, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal("HIT", Header(hit, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal("GET /isr/miss-hit #1", await hit.Content.ReadAsStringAsync());
        Assert.Equal(ScriptedRouteDispatcher.IsrCacheControl, Header(hit, "Cache-Control"));
        Assert.Equal("text/plain; charset=utf-8", hit.Content.Headers.ContentType?.ToString());
        Assert.Equal(1, Owners.Calls("/isr/miss-hit"));
    }

    [Fact]
    public async Task Get_Hit_StillRunsTheMiddleware()
    {
        const string TestId = "hit-middleware";
        await SendAsync(HttpMethod.Get, "/isr/hit-mw", (CallCounter.TestIdHeader, TestId));

        using var hit = await SendAsync(HttpMethod.Get, "/isr/hit-mw", (CallCounter.TestIdHeader, TestId));

        Assert.Equal("HIT", Header(hit, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal("1", Header(hit, "x-mw"));
        Assert.Equal(2, fixture.Middleware.Count(TestId));
    }

    [Fact]
    public async Task Get_QueryIsNotPartOfTheKey()
    {
        await Client.GetAsync("/isr/query?a=1");

        using var hit = await Client.GetAsync("/isr/query?b=2");

        Assert.Equal("HIT", Header(hit, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(1, Owners.Calls("/isr/query"));
    }

    [Fact]
    public async Task Head_AfterGet_IsAHitWithTheGetsHeadersAndNoBody()
    {
        using var get = await Client.GetAsync("/isr/head");
        var body = await get.Content.ReadAsByteArrayAsync();

        using var head = await SendAsync(HttpMethod.Head, "/isr/head");

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("HIT", Header(head, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(body.Length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, Owners.Calls("/isr/head"));
    }

    [Fact]
    public async Task Head_First_IsSentToTheOwnerAndDoesNotFillTheNearCache()
    {
        using var head = await SendAsync(HttpMethod.Head, "/isr/head-first");
        using var get = await Client.GetAsync("/isr/head-first");
        using var hit = await Client.GetAsync("/isr/head-first");

        Assert.Equal("MISS", Header(head, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal("MISS", Header(get, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal("HIT", Header(hit, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(2, Owners.Calls("/isr/head-first"));
    }

    [Fact]
    public async Task Get_AfterTheOwnersFreshnessPassed_CallsTheOwnerAgain()
    {
        await Client.GetAsync("/isr/expiry");
        fixture.Clock.Advance(TimeSpan.FromSeconds(9));
        using var stillFresh = await Client.GetAsync("/isr/expiry");
        fixture.Clock.Advance(TimeSpan.FromSeconds(1));

        using var afterwards = await Client.GetAsync("/isr/expiry");

        Assert.Equal("HIT", Header(stillFresh, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal("MISS", Header(afterwards, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal("GET /isr/expiry #2", await afterwards.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_StaticRoute_StaysUntilInvalidated()
    {
        await Client.GetAsync("/static/forever");
        fixture.Clock.Advance(TimeSpan.FromDays(366));

        using var hit = await Client.GetAsync("/static/forever");

        Assert.Equal("HIT", Header(hit, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(ScriptedRouteDispatcher.StaticCacheControl, Header(hit, "Cache-Control"));
        Assert.Equal(1, Owners.Calls("/static/forever"));
    }

    [Fact]
    public async Task Get_AfterInvalidationOfThePath_CallsTheOwnerAndKeepsOtherPaths()
    {
        await Client.GetAsync("/static/inv-a");
        await Client.GetAsync("/static/inv-b");

        fixture.NearCache.OnBroadcast(new NearCacheInvalidation("/static/[id]", "/static/inv-a").ToPayload());
        using var a = await Client.GetAsync("/static/inv-a");
        using var b = await Client.GetAsync("/static/inv-b");

        Assert.Equal("MISS", Header(a, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal("GET /static/inv-a #2", await a.Content.ReadAsStringAsync());
        Assert.Equal("HIT", Header(b, RouteResponseWriter.RouteCacheHeader));
    }

    [Fact]
    public async Task Get_AfterInvalidationOfTheRoute_CallsTheOwnerForEachPath()
    {
        await Client.GetAsync("/isr/route-a");
        await Client.GetAsync("/isr/route-b");

        fixture.NearCache.OnBroadcast(new NearCacheInvalidation("/isr/[id]", null).ToPayload());
        await Client.GetAsync("/isr/route-a");
        await Client.GetAsync("/isr/route-b");

        Assert.Equal(2, Owners.Calls("/isr/route-a"));
        Assert.Equal(2, Owners.Calls("/isr/route-b"));
    }

    [Fact]
    public async Task Get_AfterAConnectionToASiloWasLost_CallsTheOwnerAgain()
    {
        await Client.GetAsync("/static/lost");

        fixture.NearCache.OnConnectionLost(new SiloAddress("127.0.0.1", 1, 1));
        using var again = await Client.GetAsync("/static/lost");

        Assert.Equal("MISS", Header(again, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(2, Owners.Calls("/static/lost"));
    }

    [Fact]
    public async Task Get_ReplyOfACallThatStartedBeforeAnInvalidation_IsServedButNotKept()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var called = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Owners.Override("/static/epoch", async (invocation, call) =>
        {
            if (call == 1)
            {
                called.TrySetResult();
                await release.Task.WaitAsync(s_timeout);
            }

            return new RouteReply(RouteResponse.Text(ScriptedRouteDispatcher.Body(invocation, call)), RouteCacheStatus.Miss, Timeout.InfiniteTimeSpan);
        });

        var first = Client.GetAsync("/static/epoch");
        await called.Task.WaitAsync(s_timeout);
        fixture.NearCache.OnBroadcast(new NearCacheInvalidation("/static/[id]", "/static/epoch").ToPayload());
        release.SetResult();
        using var old = await first.WaitAsync(s_timeout);
        using var next = await Client.GetAsync("/static/epoch");

        Assert.Equal("GET /static/epoch #1", await old.Content.ReadAsStringAsync());
        Assert.Equal("MISS", Header(next, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal("GET /static/epoch #2", await next.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_StaleReply_IsWrittenAsStaleAndNotKept()
    {
        Owners.Override("/isr/stale", static (invocation, call) => new ValueTask<RouteReply>(new RouteReply(
            RouteResponse.Text("old").WithHeader("cache-control", ScriptedRouteDispatcher.IsrCacheControl), RouteCacheStatus.Stale, TimeSpan.Zero)));

        using var first = await Client.GetAsync("/isr/stale");
        using var second = await Client.GetAsync("/isr/stale");

        Assert.Equal("STALE", Header(second, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(ScriptedRouteDispatcher.IsrCacheControl, Header(second, "Cache-Control"));
        Assert.Equal(2, Owners.Calls("/isr/stale"));
    }

    [Fact]
    public async Task Get_UncachedReplyOfACachedRoute_GetsTheDynamicCacheControlAndNoCacheHeader()
    {
        // E.g. Dynamic = Error failing, or an Auto route that fell back to dynamic: the owner answers it as not cached.
        Owners.Override("/isr/not-stored", static (_, _) => new ValueTask<RouteReply>(new RouteReply(RouteResponse.Empty(500))));

        using var first = await Client.GetAsync("/isr/not-stored");
        await Client.GetAsync("/isr/not-stored");

        Assert.Equal(HttpStatusCode.InternalServerError, first.StatusCode);
        Assert.False(first.Headers.Contains(RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(RouteResponseWriter.DynamicCacheControl, Header(first, "Cache-Control"));
        Assert.Equal(2, Owners.Calls("/isr/not-stored"));
    }

    [Fact]
    public async Task Post_ToACachedRoute_IsNeverCachedAndGetsTheDynamicCacheControl()
    {
        using var first = await Client.PostAsync("/isr/post", new StringContent("a"));
        using var second = await Client.PostAsync("/isr/post", new StringContent("b"));

        Assert.False(second.Headers.Contains(RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(RouteResponseWriter.DynamicCacheControl, Header(second, "Cache-Control"));
        Assert.Equal("POST /isr/post #2", await second.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_DynamicRoute_IsAlwaysCalledAndGetsTheDynamicCacheControl()
    {
        // The owner's script for a dynamic route says MISS with a lifetime: the gateway still never keeps it.
        Owners.Override("/dynamic/lying-owner", static (_, call) => new ValueTask<RouteReply>(
            new RouteReply(RouteResponse.Text("#" + call), RouteCacheStatus.Miss, Timeout.InfiniteTimeSpan)));

        using var dynamic = await Client.GetAsync("/dynamic/plain");
        await Client.GetAsync("/dynamic/lying-owner");
        await Client.GetAsync("/dynamic/lying-owner");

        Assert.False(dynamic.Headers.Contains(RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(RouteResponseWriter.DynamicCacheControl, Header(dynamic, "Cache-Control"));
        Assert.Equal(2, Owners.Calls("/dynamic/lying-owner"));
    }

    [Fact]
    public async Task Get_DynamicRouteWhoseHandlerSetsCacheControl_KeepsTheHandlersValue()
    {
        Owners.Override("/dynamic/own-control", static (_, _) => new ValueTask<RouteReply>(
            new RouteReply(RouteResponse.Text("x").WithHeader("Cache-Control", "public, max-age=60"))));

        using var response = await Client.GetAsync("/dynamic/own-control");

        Assert.Equal("public, max-age=60", Header(response, "Cache-Control"));
    }

    [Fact]
    public async Task Get_DynamicRouteWhoseMiddlewareSetsCacheControl_KeepsTheMiddlewaresValue()
    {
        using var response = await SendAsync(HttpMethod.Get, "/dynamic/mw-control", ("x-case", "cache-control"));

        Assert.Equal(NearCachePipelineFixture.MiddlewareCacheControl, Header(response, "Cache-Control"));
    }

    [Fact]
    public async Task Get_UnlistedParamOfARouteThatListsItsParams_Is404WithoutACall()
    {
        using var unlisted = await Client.GetAsync("/listed/2");
        using var head = await SendAsync(HttpMethod.Head, "/listed/3");
        using var listed = await Client.GetAsync("/listed/1");

        Assert.Equal(HttpStatusCode.NotFound, unlisted.StatusCode);
        Assert.Empty(await unlisted.Content.ReadAsByteArrayAsync());
        Assert.Equal(RouteResponseWriter.NotFoundCacheControl, Header(unlisted, "Cache-Control"));
        Assert.Equal("1", Header(unlisted, "x-mw"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(0, Owners.Calls("/listed/2"));
        Assert.Equal(0, Owners.Calls("/listed/3"));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        return await Client.SendAsync(request);
    }

    // As sent (HttpClient's parsed Cache-Control would reorder the directives).
    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString()
        : response.Content.Headers.NonValidated.TryGetValues(name, out var content) ? content.ToString()
        : null;
}
