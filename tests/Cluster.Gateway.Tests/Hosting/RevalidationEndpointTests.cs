using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Cluster.Gateway.Tests.Infrastructure;

namespace Cluster.Gateway.Tests.Hosting;

/// <summary>
/// <c>POST /_cluster/revalidate</c> on a real gateway (tests/TestApps/EdgeApp, routes under <c>app/revalidation/</c>):
/// who may call it, what it accepts, and that a 200 means the next GET renders again. Handlers revalidating through
/// <c>RouteContext</c> are covered here too, since they share the owner's side.
/// </summary>
[Collection(RevalidationAppCollection.Name)]
public sealed class RevalidationEndpointTests(RevalidationAppFixture fixture)
{
    private HttpClient Client => fixture.Host.Client;

    [Fact]
    public async Task Post_NoAuthorization_Returns401WithBearerChallenge()
    {
        using var response = await fixture.PostAsync("""{"tag":"revalidation-t1"}""", authorization: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        await AssertJsonError(response);
        Assert.True(response.Headers.CacheControl?.NoStore);
    }

    [Theory]
    [InlineData("Bearer wrong-token")]
    [InlineData("Bearer " + RevalidationAppFixture.AdminToken + "x")]
    [InlineData("Bearer " + RevalidationAppFixture.AdminToken + " x")]
    [InlineData("Bearer rev-token")]
    [InlineData("Bearer REV-TOKEN-9F3C2A7E.KQ~_X")]
    [InlineData("Basic " + RevalidationAppFixture.AdminToken)]
    [InlineData(RevalidationAppFixture.AdminToken)]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer" + RevalidationAppFixture.AdminToken)]
    [InlineData("")]
    public async Task Post_WrongOrMalformedCredentials_Returns401AndRevalidatesNothing(string authorization)
    {
        var before = await GetAsync("/revalidation/static");
        await AssertCached("/revalidation/static", before.Body);

        using var response = await fixture.PostAsync("""{"tag":"revalidation-t1"}""", authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.StartsWith("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        await AssertJsonError(response);
        await AssertCached("/revalidation/static", before.Body);
    }

    [Fact]
    public async Task Post_TwoAuthorizationHeaders_Returns401()
    {
        var response = await RawHttp.SendAsync(
            fixture.Host.Address,
            "POST",
            "/_cluster/revalidate",
            """{"tag":"nothing"}""",
            "Authorization: Bearer " + RevalidationAppFixture.AdminToken,
            "Authorization: Bearer " + RevalidationAppFixture.AdminToken);

        Assert.Equal(401, response.Status);
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    public async Task Post_SchemeInAnyCase_IsAccepted(string scheme)
    {
        using var response = await fixture.PostAsync("""{"tag":"no-such-tag"}""", scheme + " " + RevalidationAppFixture.AdminToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("\"/x\"")]
    [InlineData("{}")]
    [InlineData("""{"path":"/x","tag":"t"}""")]
    [InlineData("""{"path":""}""")]
    [InlineData("""{"tag":""}""")]
    [InlineData("""{"path":null}""")]
    [InlineData("""{"path":1}""")]
    [InlineData("""{"tag":["a"]}""")]
    [InlineData("""{"path":{"a":1}}""")]
    [InlineData("""{"path":"/x","path":"/y"}""")]
    [InlineData("""{"Path":"/x"}""")]
    [InlineData("""{"paths":"/x"}""")]
    [InlineData("""{"path":"/x","extra":1}""")]
    [InlineData("""{"path":"/x"}{}""")]
    [InlineData("""{"path":"/x"} x""")]
    [InlineData("""{"path":"/x" """)]
    [InlineData("""{"path":"/x",}""")]
    [InlineData("""{/*c*/"path":"/x"}""")]
    [InlineData("""{'path':'/x'}""")]
    [InlineData("path=/x")]
    [InlineData("""{"path":"\uD800"}""")]
    public async Task Post_BadBody_Returns400WithJsonError(string body)
    {
        using var response = await fixture.RevalidateAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await AssertJsonError(response);
        Assert.Contains("\"path\"", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_InvalidUtf8_Returns400()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/_cluster/revalidate")
        {
            Content = new ByteArrayContent([.. "{\"tag\":\""u8, 0xC3, 0x28, .. "\"}"u8]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RevalidationAppFixture.AdminToken);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("relative/path")]
    [InlineData("/a/../b")]
    [InlineData("/a/%2E%2E/b")]
    [InlineData("/a%zz")]
    [InlineData("/a%00")]
    [InlineData("/a\u0007")]
    public async Task Post_PathTheGatewayWouldRefuse_Returns400NamingIt(string path)
    {
        using var response = await fixture.RevalidateAsync(JsonSerializer.Serialize(new { path }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await AssertJsonError(response);
        Assert.Contains("not a path that can be revalidated", error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_BodyOverTheLimit_Returns413()
    {
        var body = """{"path":"/""" + new string('a', 16 * 1024) + "\"}";

        using var response = await fixture.RevalidateAsync(body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertJsonError(response);
    }

    [Fact]
    public async Task Post_ChunkedBodyOverTheLimit_Returns413()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"path":"/""" + new string('a', 20 * 1024) + "\"}");
        var request = new HttpRequestMessage(HttpMethod.Post, "/_cluster/revalidate")
        {
            // A stream of unknown length is sent chunked, so only reading it can find it too large.
            Content = new StreamContent(new NonSeekableStream(bytes)),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", RevalidationAppFixture.AdminToken);

        Assert.Null(request.Content.Headers.ContentLength);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Post_BodyOfExactlyTheLimit_IsAccepted()
    {
        const string Json = """{"tag":"no-such-tag"}""";
        var body = Json + new string(' ', (16 * 1024) - Json.Length);

        using var response = await fixture.RevalidateAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Get_TheEndpoint_IsNotServed()
    {
        using var response = await Client.GetAsync("/_cluster/revalidate");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"path":"/no/such/route"}""", "path", "/no/such/route")]
    [InlineData("""{"path":"/revalidation/dynamic"}""", "path", "/revalidation/dynamic")]
    [InlineData("""{"path":"/echo"}""", "path", "/echo")]
    [InlineData("""{"tag":"no-such-tag"}""", "tag", "no-such-tag")]
    public async Task Post_NoCachedRouteReached_Returns200WithZeroRoutes(string body, string kind, string value)
    {
        using var response = await fixture.RevalidateAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await ReadJson(response);
        Assert.Equal(kind, json.GetProperty("revalidated").GetString());
        Assert.Equal(value, json.GetProperty("value").GetString());
        Assert.Equal(0, json.GetProperty("routes").GetInt32());
        Assert.Equal(0, json.GetProperty("dropped").GetInt32());
    }

    [Fact]
    public async Task Post_Tag_Returns200OnceDroppedAndTheNextGetRendersAgain()
    {
        var before = await GetAsync("/revalidation/static");
        await AssertCached("/revalidation/static", before.Body);

        using var response = await fixture.RevalidateAsync("""{"tag":"revalidation-t1"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var json = await ReadJson(response);
        Assert.Equal("tag", json.GetProperty("revalidated").GetString());
        Assert.Equal("revalidation-t1", json.GetProperty("value").GetString());

        // The not-cached route with the same tag is not an owner to confirm.
        Assert.Equal(1, json.GetProperty("routes").GetInt32());
        Assert.Equal(1, json.GetProperty("dropped").GetInt32());
        var after = await GetAsync("/revalidation/static");
        Assert.Equal("MISS", after.Cache);
        Assert.NotEqual(before.Body, after.Body);
        await AssertCached("/revalidation/static", after.Body);
        Assert.Contains(fixture.Host.Logs.Entries, static e => e.EventId.Id == 1317 && e.Message.Contains("revalidation-t1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Post_Path_DropsOnlyThatPath()
    {
        var (a, b) = (UniquePath(), UniquePath());
        var aBefore = await GetAsync(a);
        var bBefore = await GetAsync(b);
        Assert.Equal(("MISS", "MISS"), (aBefore.Cache, bBefore.Cache));

        using var response = await fixture.RevalidateAsync(JsonSerializer.Serialize(new { path = a + "?utm_source=cms" }));

        var json = await ReadJson(response);
        Assert.Equal((1, 1), (json.GetProperty("routes").GetInt32(), json.GetProperty("dropped").GetInt32()));
        var aAfter = await GetAsync(a);
        Assert.Equal("MISS", aAfter.Cache);
        Assert.NotEqual(aBefore.Body, aAfter.Body);
        await AssertCached(b, bBefore.Body);
    }

    [Fact]
    public async Task Post_PathWithTrailingSlash_DropsThePathItRedirectsTo()
    {
        var a = UniquePath();
        var before = await GetAsync(a);

        using var response = await fixture.RevalidateAsync(JsonSerializer.Serialize(new { path = a + "/" }));

        Assert.Equal(1, (await ReadJson(response)).GetProperty("dropped").GetInt32());
        Assert.NotEqual(before.Body, (await GetAsync(a)).Body);
    }

    [Fact]
    public async Task Post_RoutePattern_DropsEveryPathOfTheRoute()
    {
        var (a, b) = (UniquePath(), UniquePath());
        var aBefore = await GetAsync(a);
        var bBefore = await GetAsync(b);

        using var response = await fixture.RevalidateAsync("""{"path":"/revalidation/isr/[id]"}""");

        var json = await ReadJson(response);
        Assert.Equal(1, json.GetProperty("routes").GetInt32());
        Assert.True(json.GetProperty("dropped").GetInt32() >= 2);
        Assert.Equal("MISS", (await GetAsync(a)).Cache);
        Assert.Equal("MISS", (await GetAsync(b)).Cache);
        Assert.NotEqual(aBefore.Body, (await GetAsync(a)).Body);
        Assert.NotEqual(bBefore.Body, (await GetAsync(b)).Body);
    }

    [Fact]
    public async Task Post_NonAsciiPath_DropsTheEntryAClientRequested()
    {
        // HttpClient sends /revalidation/isr/caf%C3%A9-<id>, as a browser does; the admin names the path as text.
        var id = "café-" + Guid.NewGuid().ToString("N");
        var before = await GetAsync("/revalidation/isr/" + id);
        await AssertCached("/revalidation/isr/" + id, before.Body);

        using var response = await fixture.RevalidateAsync(JsonSerializer.Serialize(new { path = "/revalidation/isr/" + id }));

        Assert.Equal(1, (await ReadJson(response)).GetProperty("dropped").GetInt32());
        Assert.Equal("MISS", (await GetAsync("/revalidation/isr/" + id)).Cache);
    }

    [Fact]
    public async Task Post_TagOfSeveralRoutes_ConfirmsEveryOwner()
    {
        var a = UniquePath();
        await GetAsync(a);
        await GetAsync("/revalidation/static");

        using var response = await fixture.RevalidateAsync("""{"tag":"revalidation-all"}""");

        var json = await ReadJson(response);
        Assert.Equal(2, json.GetProperty("routes").GetInt32());
        Assert.True(json.GetProperty("dropped").GetInt32() >= 2);
        Assert.Equal("MISS", (await GetAsync(a)).Cache);
        Assert.Equal("MISS", (await GetAsync("/revalidation/static")).Cache);
    }

    [Fact]
    public async Task HandlerRevalidatesTag_NextGetRendersAgain()
    {
        var before = await GetAsync("/revalidation/static");
        await AssertCached("/revalidation/static", before.Body);

        using var trigger = await Client.PostAsync("/revalidation/trigger", JsonBody("""{"tag":"revalidation-t1"}"""));

        Assert.Equal(HttpStatusCode.OK, trigger.StatusCode);
        var after = await GetAsync("/revalidation/static");
        Assert.Equal("MISS", after.Cache);
        Assert.NotEqual(before.Body, after.Body);
    }

    [Fact]
    public async Task HandlerRevalidatesPath_NextGetOfThatPathRendersAgain()
    {
        var (a, b) = (UniquePath(), UniquePath());
        var aBefore = await GetAsync(a);
        var bBefore = await GetAsync(b);

        using var trigger = await Client.PostAsync("/revalidation/trigger", JsonBody(JsonSerializer.Serialize(new { path = a })));

        Assert.Equal(HttpStatusCode.OK, trigger.StatusCode);
        var aAfter = await GetAsync(a);
        Assert.Equal("MISS", aAfter.Cache);
        Assert.NotEqual(aBefore.Body, aAfter.Body);
        await AssertCached(b, bBefore.Body);
    }

    [Fact]
    public async Task HandlerRevalidatesBadPath_Returns500AndLogsTheReason()
    {
        using var trigger = await Client.PostAsync("/revalidation/trigger", JsonBody("""{"path":"no-slash"}"""));

        Assert.Equal(HttpStatusCode.InternalServerError, trigger.StatusCode);
        Assert.Contains(fixture.Host.Logs.Entries, static e => e.Exception is ArgumentException a && a.Message.Contains("no-slash", StringComparison.Ordinal));
    }

    private static string UniquePath() => "/revalidation/isr/" + Guid.NewGuid().ToString("N");

    private static StringContent JsonBody(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    private async Task<(string? Cache, string Body)> GetAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cache = response.Headers.TryGetValues("x-route-cache", out var values) ? string.Join(",", values) : null;
        return (cache, await response.Content.ReadAsStringAsync());
    }

    private async Task AssertCached(string path, string body)
    {
        var (cache, actual) = await GetAsync(path);
        Assert.Equal(("HIT", body), (cache, actual));
    }

    private static async Task<JsonElement> ReadJson(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return document.RootElement.Clone();
    }

    private static async Task<string> AssertJsonError(HttpResponseMessage response)
    {
        var json = await ReadJson(response);
        var error = json.GetProperty("error").GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
        return error!;
    }

    private sealed class NonSeekableStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
