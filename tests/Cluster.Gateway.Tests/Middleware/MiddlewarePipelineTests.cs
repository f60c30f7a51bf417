using System.Net;
using System.Text;
using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;

namespace Cluster.Gateway.Tests.Middleware;

/// <summary>Each middleware result kind end to end, through a real gateway (see <see cref="MiddlewarePipelineFixture"/>).</summary>
public sealed class MiddlewarePipelineTests(MiddlewarePipelineFixture fixture) : IClassFixture<MiddlewarePipelineFixture>
{
    private readonly string _testId = Guid.NewGuid().ToString("N");

    private GatewayHost Host => fixture.Host;

    private MiddlewareTestApp App => fixture.App;

    private async Task<HttpResponseMessage> SendAsync(string testCase, string target, HttpMethod? method = null, string? body = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, target);
        request.Headers.TryAddWithoutValidation("x-case", testCase);
        request.Headers.TryAddWithoutValidation(CallCounter.TestIdHeader, _testId);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "text/plain");
        }

        return await Host.Client.SendAsync(request).WaitAsync(TestTimeouts.Default);
    }

    [Fact]
    public async Task Next_RequestHeaderChanges_SeenByHandler()
    {
        using var response = await SendAsync("next-headers", "/echo", headers: [("x-replaced", "old"), ("x-removed", "yes"), ("x-kept", "kept")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await MiddlewareTestApp.ReadEchoAsync(response);
        Assert.Equal("added", echo.Headers["x-added"]);
        Assert.Equal("new", echo.Headers["x-replaced"]);
        Assert.Equal("kept", echo.Headers["x-kept"]);
        Assert.False(echo.Headers.ContainsKey("x-removed"));
        Assert.Equal(["1"], response.Headers.GetValues("x-mw"));
    }

    [Fact]
    public async Task Next_ResponseHeader_AddedToHandlerResponse_HandlerWinsForSameName()
    {
        using var response = await SendAsync("response-headers", "/shared-header");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["1"], response.Headers.GetValues("x-mw"));
        Assert.Equal(["handler"], response.Headers.GetValues("x-shared"));
    }

    [Fact]
    public async Task Next_ResponseHeader_AddedWhenHandlerDoesNotSetIt()
    {
        using var response = await SendAsync("response-headers", "/echo");

        Assert.Equal(["middleware"], response.Headers.GetValues("x-shared"));
    }

    [Fact]
    public async Task Next_PathEndsIn404_MiddlewareRanAndHeaderOn404()
    {
        using var response = await SendAsync("default", "/no/such/route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["1"], response.Headers.GetValues("x-mw"));
        Assert.Equal(1, App.Middleware.Count(_testId));
    }

    [Fact]
    public async Task Next_GatewayAnswers405AndOptions_CarryResponseHeaders()
    {
        using var notAllowed = await SendAsync("default", "/open", HttpMethod.Delete);
        using var options = await SendAsync("default", "/open", HttpMethod.Options);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, notAllowed.StatusCode);
        Assert.Equal(["1"], notAllowed.Headers.GetValues("x-mw"));
        Assert.Equal(HttpStatusCode.NoContent, options.StatusCode);
        Assert.Equal(["1"], options.Headers.GetValues("x-mw"));
    }

    [Fact]
    public async Task Next_SeveralCookies_SeparateSetCookieHeaders()
    {
        var response = await RawHttp.SendAsync(Host.Address, "GET", "/echo", null, "x-case: cookies");

        Assert.Equal(200, response.Status);
        // RawHttp joins repeated header lines with '\n': two lines, not one comma-joined value.
        var cookies = response.Headers["set-cookie"].Split('\n');
        Assert.Equal(2, cookies.Length);
        Assert.StartsWith("a=1", cookies[0], StringComparison.Ordinal);
        Assert.StartsWith("b=2", cookies[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Next_AsyncMiddleware_ContinuesRouting()
    {
        using var response = await SendAsync("async-next", "/echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["async"], response.Headers.GetValues("x-mw"));
    }

    [Fact]
    public async Task Next_MiddlewareReturnsNull_TreatedAsNext()
    {
        using var response = await SendAsync("null", "/echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Next_MiddlewareReadsBody_HandlerStillGetsIt()
    {
        using var response = await SendAsync("echo-body", "/echo", HttpMethod.Post, "hello body");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["hello body"], response.Headers.GetValues("x-mw-body"));
        Assert.Equal("hello body", (await MiddlewareTestApp.ReadEchoAsync(response)).Body);
    }

    [Fact]
    public async Task Rewrite_ToPath_HandlerSeesDestinationWithMergedQuery_ClientUrlUnchanged()
    {
        using var response = await SendAsync("rewrite", "/echo?a=1&b=2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal(new Uri(Host.Address, "/echo?a=1&b=2"), response.RequestMessage!.RequestUri);
        var echo = await MiddlewareTestApp.ReadEchoAsync(response);
        Assert.Equal("/rewritten", echo.Path);
        Assert.Equal("?a=1&b=3&c=4", echo.QueryString);
        Assert.Equal(["1"], echo.Query["a"]);
        Assert.Equal(["3"], echo.Query["b"]);
        Assert.Equal(["4"], echo.Query["c"]);
        Assert.EndsWith("/rewritten?a=1&b=3&c=4", echo.Url, StringComparison.Ordinal);
        Assert.Equal("on-rewrite", echo.Headers["x-added"]);
        Assert.Equal(["1"], response.Headers.GetValues("x-mw"));
    }

    [Fact]
    public async Task Rewrite_DoesNotRunMiddlewareAgain()
    {
        using var response = await SendAsync("rewrite", "/echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, App.Middleware.Count(_testId));
        Assert.Equal(1, App.Handlers.Count(_testId));
    }

    [Fact]
    public async Task Rewrite_ToDynamicRoute_Routed()
    {
        using var response = await SendAsync("rewrite-dynamic", "/echo");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/items/42", (await MiddlewareTestApp.ReadEchoAsync(response)).Path);
    }

    [Fact]
    public async Task Rewrite_ToAbsoluteUrlOnSameHost_RoutedNotProxied()
    {
        using var response = await SendAsync("rewrite-same-host-url", "/echo?a=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = await MiddlewareTestApp.ReadEchoAsync(response);
        Assert.Equal("/rewritten", echo.Path);
        Assert.Equal("?a=1&via=url", echo.QueryString);
    }

    [Fact]
    public async Task Rewrite_ToMissingRoute_404WithResponseHeaders()
    {
        using var response = await SendAsync("rewrite-missing", "/echo");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(["1"], response.Headers.GetValues("x-mw"));
    }

    [Fact]
    public async Task Rewrite_ToAbnormalPath_500AndErrorLog()
    {
        using var response = await SendAsync("rewrite-dot-segment", "/echo");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Null(response.Headers.Location);
        Assert.Contains(Host.Logs.Entries, e => e.EventId.Id == GatewayEventIds.MiddlewareRewriteInvalid
            && e.Level == LogLevel.Error
            && e.Message.Contains("/open/../echo", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Redirect_Default_307WithLocationAndEmptyBody()
    {
        using var response = await SendAsync("redirect", "/echo");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("/elsewhere?x=1", response.Headers.Location?.OriginalString);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, App.Handlers.Count(_testId));
    }

    [Fact]
    public async Task Redirect_308_KeepsResponseHeadersAndCookies()
    {
        using var response = await SendAsync("redirect-308", "/no/such/route");

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal("/elsewhere", response.Headers.Location?.OriginalString);
        Assert.Equal(["1"], response.Headers.GetValues("x-mw"));
        Assert.StartsWith("seen=yes", Assert.Single(response.Headers.GetValues("Set-Cookie")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Respond_401Json_StopsRoutingHandlerNotCalled()
    {
        using var response = await SendAsync("respond", "/echo");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("""{"error":"unauthorized"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(["1"], response.Headers.GetValues("x-mw"));
        Assert.Equal(1, App.Middleware.Count(_testId));
        Assert.Equal(0, App.Handlers.Count(_testId));
    }

    [Theory]
    [InlineData("throw", "secret detail from middleware")]
    [InlineData("throw-async", "secret async detail")]
    public async Task Throws_500EmptyAndErrorLogWithTypeAndPath(string testCase, string detail)
    {
        var path = "/echo?case=" + testCase;

        using var response = await SendAsync(testCase, path);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(0, App.Handlers.Count(_testId));
        var entry = Assert.Single(Host.Logs.Entries, e => e.EventId.Id == GatewayEventIds.MiddlewareFailed && e.Exception?.Message == detail);
        Assert.Equal(LogLevel.Error, entry.Level);
        Assert.Contains(MiddlewareTestApp.MiddlewareType, entry.Message, StringComparison.Ordinal);
        Assert.Contains("/echo", entry.Message, StringComparison.Ordinal);
    }
}
