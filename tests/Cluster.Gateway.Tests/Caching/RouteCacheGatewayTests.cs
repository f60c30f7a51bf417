using System.Net;
using System.Text.Json;
using Cluster.Gateway.Pipeline;
using Cluster.Gateway.Tests.Caching.TestSupport;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Grains.Caching;
using Cluster.Routing.Hosting;
using EdgeApp;

namespace Cluster.Gateway.Tests.Caching;

/// <summary>
/// The route cache end to end through one gateway with its own silo (tests/TestApps/EdgeApp/app/cache): the owners'
/// cache, the gateway's near-cache and the headers together. Each test uses a route param (cache key) of its own.
/// </summary>
[Collection(RouteCacheGatewayCollection.Name)]
public sealed class RouteCacheGatewayTests(RouteCacheGatewayFixture fixture)
{
    private const string IsrCacheControl = "s-maxage=10, stale-while-revalidate=31535990";
    private const string StaticCacheControl = "s-maxage=31536000";

    private HttpClient Client => fixture.Host.Client;

    [Fact]
    public async Task Static_MissThenHitFromTheNearCache_RendersOnce()
    {
        using var miss = await Client.GetAsync("/cache/static/miss-hit");
        using var hit = await Client.GetAsync("/cache/static/miss-hit");

        Assert.Equal("MISS", Header(miss, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal("HIT", Header(hit, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(StaticCacheControl, Header(hit, "Cache-Control"));
        Assert.Equal(await miss.Content.ReadAsStringAsync(), await hit.Content.ReadAsStringAsync());
        Assert.Equal(1, CacheProbes.Renders("static/miss-hit"));
        Assert.Equal(1, fixture.Calls.Calls("/cache/static/miss-hit"));
    }

    [Fact]
    public async Task Static_TheOwnersHit_IsServedWhenTheNearCacheWasEmptied()
    {
        await Client.GetAsync("/cache/static/owner-hit");
        fixture.NearCache.Clear(Gateway.Caching.NearCacheClearReason.MembershipChanged);

        using var ownerHit = await Client.GetAsync("/cache/static/owner-hit");
        using var nearHit = await Client.GetAsync("/cache/static/owner-hit");

        Assert.Equal("HIT", Header(ownerHit, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal("HIT", Header(nearHit, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(2, fixture.Calls.Calls("/cache/static/owner-hit"));
        Assert.Equal(1, CacheProbes.Renders("static/owner-hit"));
    }

    [Fact]
    public async Task ForceStatic_HidesHeadersCookiesAndQuery()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cache/static/hidden?q=1&r=2");
        request.Headers.Add("x-probe", "secret");
        request.Headers.Add("Cookie", "session=abc");

        using var response = await Client.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0, body.RootElement.GetProperty("headers").GetInt32());
        Assert.Equal(JsonValueKind.Null, body.RootElement.GetProperty("probe").ValueKind);
        Assert.Equal(0, body.RootElement.GetProperty("cookies").GetInt32());
        Assert.Equal(0, body.RootElement.GetProperty("query").GetInt32());
        Assert.Equal("http://localhost/cache/static/hidden", body.RootElement.GetProperty("url").GetString());
    }

    [Fact]
    public async Task Isr_PastRevalidate_ServesStaleThenTheRegeneratedEntry()
    {
        using var miss = await Client.GetAsync("/cache/isr/stale");
        Assert.Equal(IsrCacheControl, Header(miss, "Cache-Control"));
        fixture.Clock.Advance(TimeSpan.FromSeconds(10));

        using var stale = await Client.GetAsync("/cache/isr/stale");

        Assert.Equal("STALE", Header(stale, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(1, await RenderOf(stale));

        // The regeneration runs in the background on the owner; once stored, the owner's HIT fills the near-cache again.
        var regenerated = await EventuallyAsync(async () =>
        {
            using var response = await Client.GetAsync("/cache/isr/stale");
            return Header(response, RouteResponseWriter.RouteCacheHeader) == "HIT" && await RenderOf(response) == 2;
        });
        Assert.True(regenerated, "The stale entry was never replaced by its regeneration.");
        var calls = fixture.Calls.Calls("/cache/isr/stale");
        using var nearHit = await Client.GetAsync("/cache/isr/stale");
        Assert.Equal(calls, fixture.Calls.Calls("/cache/isr/stale"));
        Assert.Equal(2, CacheProbes.Renders("isr/stale"));
    }

    [Fact]
    public async Task Error_HandlerReadsAHeader_Is500WithALogLine()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cache/error");
        request.Headers.Add("x-probe", "p");

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(RouteResponseWriter.DynamicCacheControl, Header(response, "Cache-Control"));
        Assert.Contains(fixture.Host.Logs.Entries, e => e.Level >= LogLevel.Warning && e.Message.Contains("/cache/error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Auto_HandlerReadsAHeader_IsRenderedDynamicallyWithTheRealRequest()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cache/auto-reads-headers");
        request.Headers.Add("x-probe", "real");

        using var response = await Client.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("real", body.RootElement.GetProperty("probe").GetString());
        Assert.False(response.Headers.Contains(RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(RouteResponseWriter.DynamicCacheControl, Header(response, "Cache-Control"));
    }

    [Fact]
    public async Task Head_OfACachedRoute_HasTheGetsHeadersWithoutABody()
    {
        using var get = await Client.GetAsync("/cache/static/head");
        var length = (await get.Content.ReadAsByteArrayAsync()).Length;

        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/cache/static/head"));
        using var headFirst = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/cache/static/head-first"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("HIT", Header(head, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(length, head.Content.Headers.ContentLength);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal("MISS", Header(headFirst, RouteResponseWriter.RouteCacheHeader));
        Assert.Empty(await headFirst.Content.ReadAsByteArrayAsync());
        Assert.True(headFirst.Content.Headers.ContentLength > 0);
    }

    [Fact]
    public async Task Listed_UnlistedParam_Is404WithoutAGrainCall()
    {
        using var unlisted = await Client.GetAsync("/cache/listed/3");
        using var listed = await Client.GetAsync("/cache/listed/1");

        Assert.Equal(HttpStatusCode.NotFound, unlisted.StatusCode);
        Assert.Equal(RouteResponseWriter.NotFoundCacheControl, Header(unlisted, "Cache-Control"));
        Assert.Equal(0, fixture.Calls.Calls("/cache/listed/3"));
        Assert.Equal(0, CacheProbes.Renders("listed/3"));
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
        Assert.NotNull(Header(listed, RouteResponseWriter.RouteCacheHeader));
    }

    [Fact]
    public async Task Status_ErrorResponsesAreNotStoredBut404Is()
    {
        using var error = await Client.GetAsync("/cache/status/503");
        using var errorAgain = await Client.GetAsync("/cache/status/503");
        await Client.GetAsync("/cache/status/404");
        using var notFoundAgain = await Client.GetAsync("/cache/status/404");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, errorAgain.StatusCode);
        Assert.Equal(RouteResponseWriter.DynamicCacheControl, Header(errorAgain, "Cache-Control"));
        Assert.Equal(2, CacheProbes.Renders("status/503"));
        Assert.Equal(HttpStatusCode.NotFound, notFoundAgain.StatusCode);
        Assert.Equal("HIT", Header(notFoundAgain, RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(1, CacheProbes.Renders("status/404"));
    }

    [Fact]
    public async Task CacheControl_SetByTheHandler_IsKept()
    {
        using var miss = await Client.GetAsync("/cache/control/own");
        using var hit = await Client.GetAsync("/cache/control/own");

        Assert.Equal("public, max-age=5", Header(miss, "Cache-Control"));
        Assert.Equal("public, max-age=5", Header(hit, "Cache-Control"));
        Assert.Equal("HIT", Header(hit, RouteResponseWriter.RouteCacheHeader));
    }

    [Fact]
    public async Task Post_BesideACachedGet_IsNeverCached()
    {
        var before = CacheProbes.Renders("post/POST");
        using var first = await Client.PostAsync("/cache/post", new StringContent("one"));
        using var second = await Client.PostAsync("/cache/post", new StringContent("two"));
        await Client.GetAsync("/cache/post");
        using var get = await Client.GetAsync("/cache/post");

        Assert.Equal(before + 2, CacheProbes.Renders("post/POST"));
        Assert.Contains("\"body\":\"two\"", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(second.Headers.Contains(RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(RouteResponseWriter.DynamicCacheControl, Header(second, "Cache-Control"));
        Assert.Equal("HIT", Header(get, RouteResponseWriter.RouteCacheHeader));
    }

    [Fact]
    public async Task Dynamic_GetsTheDynamicCacheControlUnlessTheHandlerSetsOne()
    {
        using var plain = await Client.GetAsync("/cache/dynamic");
        using var own = await Client.GetAsync("/cache/dynamic?cc=public%2C%20max-age%3D30");

        Assert.False(plain.Headers.Contains(RouteResponseWriter.RouteCacheHeader));
        Assert.Equal(RouteResponseWriter.DynamicCacheControl, Header(plain, "Cache-Control"));
        Assert.Equal("public, max-age=30", Header(own, "Cache-Control"));
    }

    [Fact]
    public async Task Invalidation_FromTheOwner_ReachesTheNearCacheBeforeItReturns()
    {
        await Client.GetAsync("/cache/static/invalidated");
        Assert.True(fixture.NearCache.TryGet("/cache/static/[key]", "/cache/static/invalidated", out _));
        var broadcast = fixture.Host.Services.GetRequiredService<Cluster.Runtime.Messaging.IClusterBroadcast>();

        await broadcast.BroadcastAsync(
            NearCacheInvalidation.Topic, new NearCacheInvalidation("/cache/static/[key]", "/cache/static/invalidated").ToPayload(), CancellationToken.None)
            .WaitAsync(TestTimeouts.Default);

        Assert.False(fixture.NearCache.TryGet("/cache/static/[key]", "/cache/static/invalidated", out _));
    }

    [Fact]
    public async Task RevalidatePath_WhileReadersHammer_NoReaderThatStartedAfterItsConfirmationGetsAnOlderRender()
    {
        const string Path = "/cache/static/hammer";
        var revalidator = fixture.Host.Services.GetRequiredService<IRouteRevalidator>();
        long floor = 0;
        var violations = 0;
        var hits = 0;
        var done = 0;

        async Task ReadAsync()
        {
            while (Volatile.Read(ref done) == 0)
            {
                // Every render numbered up to floor started before a revalidation that has been confirmed.
                var startedAfter = Volatile.Read(ref floor);
                using var response = await Client.GetAsync(Path);
                if (await RenderOf(response) <= startedAfter)
                {
                    Interlocked.Increment(ref violations);
                }

                if (Header(response, RouteResponseWriter.RouteCacheHeader) == "HIT")
                {
                    Interlocked.Increment(ref hits);
                }
            }
        }

        await Client.GetAsync(Path);
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(ReadAsync)).ToArray();
        for (var i = 0; i < 300; i++)
        {
            var rendered = CacheProbes.Renders("static/hammer");
            await revalidator.RevalidatePathAsync(Path, CancellationToken.None).WaitAsync(TestTimeouts.Default);
            Volatile.Write(ref floor, rendered);
            await Task.Delay(Random.Shared.Next(0, 3));
        }

        Volatile.Write(ref done, 1);
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, violations);
        Assert.True(hits > 0, "The readers never hit a cache, so the test proved nothing.");
    }

    private static async Task<int> RenderOf(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("render").GetInt32();
    }

    // Waits for work running in the background on the owner (not for cache time, which only the fake clock moves).
    private static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TestTimeouts.Default)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(20);
        }

        return false;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString()
        : response.Content.Headers.NonValidated.TryGetValues(name, out var content) ? content.ToString()
        : null;
}
