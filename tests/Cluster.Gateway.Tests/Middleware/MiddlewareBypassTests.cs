using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;

namespace Cluster.Gateway.Tests.Middleware;

/// <summary>
/// CVE-2025-29927: a client must not be able to skip the middleware (or steer routing) with Next.js's internal
/// headers, and a handler must never see those headers.
/// </summary>
public sealed class MiddlewareBypassTests(AuthGateFixture fixture) : IClassFixture<AuthGateFixture>
{
    private static readonly string[] s_internalHeaders =
    [
        "x-middleware-subrequest: middleware",
        "x-middleware-subrequest-id: 0123456789abcdef",
        "x-middleware-rewrite: /open",
        "x-middleware-next: 1",
        "x-middleware-skip: 1",
        "x-middleware-redirect: /open",
        "x-middleware-set-cookie: a=1",
        "x-middleware-override-headers: authorization",
        "x-middleware-request-authorization: Bearer forged",
        "x-nextjs-data: 1",
        "X-NextJS-Request-Id: 1",
        "x-matched-path: /open",
        "x-now-route-matches: 1",
    ];

    [Theory]
    [InlineData("x-middleware-subrequest: middleware")]
    [InlineData("x-middleware-subrequest: middleware:middleware:middleware:middleware:middleware")]
    [InlineData("x-middleware-subrequest: src/middleware:src/middleware:src/middleware:src/middleware:src/middleware")]
    [InlineData("x-middleware-subrequest: src/middleware")]
    [InlineData("x-middleware-subrequest: pages/_middleware")]
    [InlineData("X-Middleware-Subrequest: middleware")]
    [InlineData("x-middleware-next: 1")]
    [InlineData("x-middleware-rewrite: /open")]
    [InlineData("x-middleware-skip: 1")]
    [InlineData("x-middleware-override-headers: authorization")]
    [InlineData("x-middleware-request-authorization: Bearer forged")]
    public async Task InternalHeader_WithoutAuthorization_StillAnswered401(string header)
    {
        var response = await RawHttp.SendAsync(fixture.Host.Address, "GET", "/echo", null, header);

        Assert.Equal(401, response.Status);
        Assert.Equal("""{"error":"unauthorized"}""", response.Body);
    }

    [Fact]
    public async Task AllInternalHeadersAtOnce_WithoutAuthorization_StillAnswered401()
    {
        var response = await RawHttp.SendAsync(fixture.Host.Address, "GET", "/echo", null, s_internalHeaders);

        Assert.Equal(401, response.Status);
    }

    [Fact]
    public async Task InternalHeaders_WithAuthorization_NeitherMiddlewareNorHandlerSeesThem()
    {
        var testId = Guid.NewGuid().ToString("N");
        var response = await RawHttp.SendAsync(
            fixture.Host.Address,
            "GET",
            "/echo",
            null,
            [.. s_internalHeaders, "authorization: Bearer real", CallCounter.TestIdHeader + ": " + testId]);

        Assert.Equal(200, response.Status);
        var echo = System.Text.Json.JsonSerializer.Deserialize<EchoBody>(response.Body, System.Text.Json.JsonSerializerOptions.Web)!;
        // x-middleware-rewrite: /open was not obeyed.
        Assert.Equal("/echo", echo.Path);
        Assert.Equal("Bearer real", echo.Headers["authorization"]);
        Assert.DoesNotContain(echo.Headers.Keys, IsInternal);
        Assert.DoesNotContain(fixture.SeenByMiddleware[testId], IsInternal);
        Assert.False(response.Headers.ContainsKey("set-cookie"));
    }

    private static bool IsInternal(string name) =>
        name.StartsWith("x-middleware-", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("x-nextjs-", StringComparison.OrdinalIgnoreCase)
        || name.Equals("x-matched-path", StringComparison.OrdinalIgnoreCase)
        || name.Equals("x-now-route-matches", StringComparison.OrdinalIgnoreCase);
}
