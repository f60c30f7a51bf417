using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Routing;

namespace Cluster.Gateway.Tests.Middleware.TestSupport;

/// <summary>
/// One gateway whose middleware does what the request's <c>x-case</c> header asks, so the end-to-end tests of each
/// result kind share a host. Without <c>x-case</c> the middleware answers <c>Next</c> with <c>x-mw: 1</c>.
/// </summary>
public sealed class MiddlewarePipelineFixture : IAsyncLifetime
{
    public MiddlewareTestApp App { get; } = new();

    public GatewayHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await GatewayHost.StartAsync(App.CreateManifest(static (request, _) => Decide(request)));

    public async Task DisposeAsync() => await Host.DisposeAsync();

    private static ValueTask<MiddlewareResult> Decide(RouteRequest request)
    {
        var testCase = request.Headers.TryGetValue("x-case", out var value) ? value : "default";
        return testCase switch
        {
            "next-headers" => new(MiddlewareResult.Next()
                .WithRequestHeader("x-added", "added")
                .WithRequestHeader("X-Replaced", "new")
                .WithoutRequestHeader("x-removed")
                .WithResponseHeader("x-mw", "1")),
            "response-headers" => new(MiddlewareResult.Next()
                .WithResponseHeader("x-mw", "1")
                .WithResponseHeader("x-shared", "middleware")),
            "cookies" => new(MiddlewareResult.Next().WithCookie("a", "1").WithCookie("b", "2")),
            "rewrite" => new(MiddlewareResult.Rewrite("/rewritten?b=3&c=4")
                .WithRequestHeader("x-added", "on-rewrite")
                .WithResponseHeader("x-mw", "1")),
            "rewrite-dynamic" => new(MiddlewareResult.Rewrite("/items/42")),
            "rewrite-same-host-url" => new(MiddlewareResult.Rewrite("http://" + request.Url.Authority + "/rewritten?via=url")),
            "rewrite-missing" => new(MiddlewareResult.Rewrite("/no-such-route").WithResponseHeader("x-mw", "1")),
            "rewrite-dot-segment" => new(MiddlewareResult.Rewrite("/open/../echo")),
            "redirect" => new(MiddlewareResult.Redirect("/elsewhere?x=1")),
            "redirect-308" => new(MiddlewareResult.Redirect("/elsewhere", 308).WithResponseHeader("x-mw", "1").WithCookie("seen", "yes")),
            "respond" => new(MiddlewareResult.Respond(RouteResponse.Json(new { error = "unauthorized" }, 401)).WithResponseHeader("x-mw", "1")),
            "throw" => throw new InvalidOperationException("secret detail from middleware"),
            "throw-async" => ThrowAsync(),
            "null" => new((MiddlewareResult)null!),
            "async-next" => NextLaterAsync(),
            "echo-body" => EchoBodyAsync(request),
            _ => new(MiddlewareResult.Next().WithResponseHeader("x-mw", "1")),
        };
    }

    private static async ValueTask<MiddlewareResult> ThrowAsync()
    {
        await Task.Yield();
        throw new InvalidOperationException("secret async detail");
    }

    private static async ValueTask<MiddlewareResult> NextLaterAsync()
    {
        await Task.Yield();
        return MiddlewareResult.Next().WithResponseHeader("x-mw", "async");
    }

    private static async ValueTask<MiddlewareResult> EchoBodyAsync(RouteRequest request) =>
        MiddlewareResult.Next().WithResponseHeader("x-mw-body", await request.ReadTextAsync());
}
