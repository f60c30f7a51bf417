using System.Net;
using System.Text.Json;
using Cluster.Gateway.Tests.Infrastructure;

namespace Cluster.Gateway.Tests.Http;

/// <summary>What each kind of handler outcome becomes on the wire (tests/TestApps/EdgeApp).</summary>
[Collection(EdgeAppCollection.Name)]
public sealed class HandlerOutcomeTests(EdgeAppFixture fixture)
{
    private HttpClient Client => fixture.Host.Client;

    [Fact]
    public async Task Get_HandlerThrows_Returns500EmptyAndLogsRouteAndException()
    {
        using var response = await Client.GetAsync("/throws");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var entry = Assert.Single(fixture.Host.Logs.Entries, e => e.Level == LogLevel.Error && e.Exception is InvalidOperationException);
        Assert.Contains("/throws", entry.Message, StringComparison.Ordinal);
        Assert.Contains("secret detail", entry.Exception!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_HandlerReturnsNull_Returns500AndLogs()
    {
        using var response = await Client.GetAsync("/null");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains(fixture.Host.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("/null", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Get_NotFoundResponse_Returns404()
    {
        using var response = await Client.GetAsync("/notfound");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("/params/123", """{"id":"123"}""")]
    [InlineData("/params/a%20b", """{"id":"a b"}""")]
    [InlineData("/params/%E2%9C%93", """{"id":"\u2713"}""")]
    [InlineData("/catch/a/b", """{"slug":["a","b"]}""")]
    [InlineData("/catch/one", """{"slug":["one"]}""")]
    [InlineData("/catch/a%2Fb/c", """{"slug":["a/b","c"]}""")]
    [InlineData("/optional", "{}")]
    [InlineData("/optional/x", """{"slug":["x"]}""")]
    public async Task Get_Params_SerialiseAsNextJsParams(string path, string expected)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/caf%C3%A9", "café")]
    [InlineData("/_escaped", "escaped")]
    [InlineData("/%5Fescaped", "escaped")]
    [InlineData("/grouped", "grouped")]
    [InlineData("/valuetask", "value-task")]
    [InlineData("/task", "task")]
    public async Task Get_StaticRoutes_ResolveAsNextJs(string path, string body)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/_private/hidden")]
    [InlineData("/private/hidden")]
    [InlineData("/(group)/grouped")]
    public async Task Get_PrivateOrOrganisationalPaths_Return404(string path)
    {
        var response = await RawHttp.SendAsync(fixture.Host.Address, "GET", path);

        Assert.Equal(404, response.Status);
    }

    [Fact]
    public async Task Put_ValueTaskCompletedSynchronously_IsServed()
    {
        using var response = await Client.PutAsync("/valuetask", content: null);

        Assert.Equal("value-task-sync", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_NonStaticRoute_GetsServicesFromTheSilo()
    {
        using var response = await Client.GetAsync("/di");

        Assert.Equal("""{"hasClock":true}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Request_HandlerSeesHeadersQueryCookiesAndBody()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, "/echo?a=1&a=2&b=x%20y&c=d+e")
        {
            Content = new StringContent("""{"k":"v"}"""),
        };
        request.Headers.Add("User-Agent", "edge-test/1.0");
        request.Headers.Add("X-Custom", "custom-value");
        request.Headers.Add("Cookie", "theme=dark; name=J%C3%BCrgen");

        using var response = await Client.SendAsync(request);
        var seen = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("DELETE", seen.GetProperty("method").GetString());
        Assert.Equal("/echo", seen.GetProperty("path").GetString());
        Assert.Equal(new Uri(fixture.Host.Address, "/echo?a=1&a=2&b=x%20y&c=d+e").ToString(), seen.GetProperty("url").GetString());
        Assert.Equal(["1", "2"], seen.GetProperty("query").GetProperty("a").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal("x y", seen.GetProperty("query").GetProperty("b")[0].GetString());
        Assert.Equal("d e", seen.GetProperty("query").GetProperty("c")[0].GetString());
        Assert.Equal("dark", seen.GetProperty("cookies").GetProperty("theme").GetString());
        Assert.Equal("Jürgen", seen.GetProperty("cookies").GetProperty("name").GetString());
        Assert.Equal("edge-test/1.0", seen.GetProperty("agent").GetString());
        Assert.Equal(JsonValueKind.Null, seen.GetProperty("missing").ValueKind);
        Assert.Equal("custom-value", seen.GetProperty("custom").GetString());
        Assert.Equal("""{"k":"v"}""", seen.GetProperty("body").GetString());
    }

    [Theory]
    [InlineData("/redirect", 307)]
    [InlineData("/redirect?status=301", 301)]
    [InlineData("/redirect?status=302", 302)]
    [InlineData("/redirect?status=303", 303)]
    [InlineData("/redirect?status=308", 308)]
    public async Task Get_HandlerRedirect_UsesItsStatusAndLocation(string path, int status)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("/params/1", response.Headers.Location!.OriginalString);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Get_HandlerRedirectWithInvalidStatus_Returns500()
    {
        using var response = await Client.GetAsync("/redirect?status=200");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task Get_HandlerSetsUnsendableHeader_Returns500WithoutLeakingIt()
    {
        using var response = await Client.GetAsync("/badheader");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.False(response.Headers.Contains("x-bad"));
    }
}
