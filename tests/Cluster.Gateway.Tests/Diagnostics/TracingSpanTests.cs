using System.Diagnostics;
using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Dispatch;
using Cluster.Gateway.Pipeline;
using Cluster.Gateway.Tests.Caching.TestSupport;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Grains.Routing;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Tracing;

namespace Cluster.Gateway.Tests.Diagnostics;

/// <summary>
/// The spans of one request through a real gateway with its in-process silo: under the host's root, a
/// <c>middleware</c> span and a <c>dispatch</c> client span (siblings), the silo's <c>grain</c> span under the dispatch
/// and the <c>handler</c> span under that — one trace, carried in from the client's <c>traceparent</c>.
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class TracingSpanTests
{
    private const string HostingSource = "Microsoft.AspNetCore";
    private const string HostingSpan = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    [Fact]
    public async Task Request_WithMiddleware_SpansNestFromTheRootToTheHandler()
    {
        // Arrange
        using var spans = new SpanRecorder(
            HostingSource, ClusterTracing.GatewaySourceName, ClusterTracing.RuntimeSourceName, ClusterTracing.GrainsSourceName);
        var app = new MiddlewareTestApp();
        await using var host = await GatewayHost.StartAsync(
            app.CreateManifest(static (_, _) => new ValueTask<MiddlewareResult>(MiddlewareResult.Next())));
        var traceId = ActivityTraceId.CreateRandom();
        var owner = host.Services.GetRequiredService<ISiloStatus>().SiloAddress;

        // Act
        using var request = new HttpRequestMessage(HttpMethod.Get, "/echo");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await host.Client.SendAsync(request).WaitAsync(TestTimeouts.Default);

        // Assert
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var root = await spans.WaitForAsync(s => s.OperationName == HostingSpan && s.TraceId == traceId, TestTimeouts.Default);
        var middleware = await spans.WaitForAsync(s => s.OperationName == GatewayTracing.MiddlewareSpanName && s.TraceId == traceId, TestTimeouts.Default);
        var dispatch = await spans.WaitForAsync(s => s.OperationName == "dispatch /echo" && s.TraceId == traceId, TestTimeouts.Default);
        var grain = await spans.WaitForAsync(s => s.OperationName == "grain route" && s.TraceId == traceId, TestTimeouts.Default);
        var handler = await spans.WaitForAsync(s => s.OperationName == "handler GET /echo" && s.TraceId == traceId, TestTimeouts.Default);

        Assert.Equal(root.SpanId, middleware.ParentSpanId);
        Assert.Equal("next", middleware.GetTagItem(GatewayTracing.MiddlewareOutcomeTagName));
        Assert.Equal(root.SpanId, dispatch.ParentSpanId);
        Assert.Equal(ActivityKind.Client, dispatch.Kind);
        Assert.Equal("/echo", dispatch.GetTagItem("http.route"));
        Assert.Equal(owner.ToString(), dispatch.GetTagItem(ClusterTracing.SiloTagName));
        Assert.True(middleware.StartTimeUtc <= dispatch.StartTimeUtc, "The middleware ran before the dispatch.");
        Assert.Equal(dispatch.SpanId, grain.ParentSpanId);
        Assert.Equal(ActivityKind.Server, grain.Kind);
        Assert.Equal(owner.ToString(), grain.GetTagItem(ClusterTracing.SiloTagName));
        Assert.Equal(grain.SpanId, handler.ParentSpanId);
        Assert.Equal("/echo", root.GetTagItem("http.route"));
        Assert.All(new[] { root, middleware, dispatch, grain, handler }, static s => Assert.Equal(ActivityStatusCode.Unset, s.Status));
    }

    [Fact]
    public async Task Request_MiddlewareThrows_MiddlewareAndRootSpansAreErrors()
    {
        // Arrange: a middleware that throws on /open.
        using var spans = new SpanRecorder(HostingSource, ClusterTracing.GatewaySourceName, ClusterTracing.GrainsSourceName);
        var app = new MiddlewareTestApp();
        var manifest = app.CreateManifest(static (request, _) => request.Path == "/open"
            ? throw new InvalidOperationException("middleware broke")
            : new ValueTask<MiddlewareResult>(MiddlewareResult.Next()));
        await using var host = await GatewayHost.StartAsync(manifest);
        var traceId = ActivityTraceId.CreateRandom();

        // Act
        using var request = new HttpRequestMessage(HttpMethod.Get, "/open");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await host.Client.SendAsync(request).WaitAsync(TestTimeouts.Default);

        // Assert: the middleware's span failed with the exception's type, the root with the status.
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        var middleware = await spans.WaitForAsync(s => s.OperationName == GatewayTracing.MiddlewareSpanName && s.TraceId == traceId, TestTimeouts.Default);
        var root = await spans.WaitForAsync(s => s.OperationName == HostingSpan && s.TraceId == traceId, TestTimeouts.Default);
        Assert.Equal(ActivityStatusCode.Error, middleware.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, middleware.GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Error, root.Status);
        Assert.DoesNotContain(spans.Stopped, s => s.TraceId == traceId && s.OperationName.StartsWith("dispatch ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Request_HandlerThrows_HandlerSpanFailsAndTheCallDoesNot()
    {
        // Arrange: a route whose handler throws, so its grain answers 500.
        using var spans = new SpanRecorder(
            HostingSource, ClusterTracing.GatewaySourceName, ClusterTracing.RuntimeSourceName, ClusterTracing.GrainsSourceName);
        var manifest = new ClusterAppManifest
        {
            AppName = "failing",
            Routes =
            [
                new RouteDefinition
                {
                    Pattern = "/fail",
                    SourceFile = "app/fail/route.cs",
                    HandlerType = "Tests.Fail",
                    Methods = RouteMethods.Get,
                    CreateHandler = static _ => new DelegateRouteHandler(static (_, _) => throw new InvalidOperationException("handler broke")),
                },
            ],
        };
        await using var host = await GatewayHost.StartAsync(manifest);
        var traceId = ActivityTraceId.CreateRandom();

        // Act
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fail");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await host.Client.SendAsync(request).WaitAsync(TestTimeouts.Default);

        // Assert: the handler's span is the failed one; the grain call itself delivered its (500) reply.
        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        var handler = await spans.WaitForAsync(s => s.OperationName == "handler GET /fail" && s.TraceId == traceId, TestTimeouts.Default);
        var grain = await spans.WaitForAsync(s => s.OperationName == "grain route" && s.TraceId == traceId, TestTimeouts.Default);
        var dispatch = await spans.WaitForAsync(s => s.OperationName == "dispatch /fail" && s.TraceId == traceId, TestTimeouts.Default);
        var root = await spans.WaitForAsync(s => s.OperationName == HostingSpan && s.TraceId == traceId, TestTimeouts.Default);
        Assert.Equal(ActivityStatusCode.Error, handler.Status);
        Assert.Equal(500, handler.GetTagItem("http.response.status_code"));
        Assert.Equal(ActivityStatusCode.Unset, grain.Status);
        Assert.Equal(ActivityStatusCode.Unset, dispatch.Status);
        Assert.Equal(ActivityStatusCode.Error, root.Status);
    }

    [Fact]
    public async Task Handler_WithoutAHostSpan_StartsItsOwnServerSpanAsTheRoot()
    {
        // Arrange: the handler called directly, as without ASP.NET Core's hosting diagnostics.
        using var spans = new SpanRecorder(ClusterTracing.GatewaySourceName);
        var owners = new ScriptedRouteDispatcher();
        await using var host = await GatewayHost.StartAsync(HandlerAllocations.IsrManifest(), services => services.AddSingleton<IRouteDispatcher>(owners));
        var handler = host.Services.GetRequiredService<GatewayRequestHandler>();
        var context = HandlerAllocations.CreateContext("/isr/7");
        Assert.Null(Activity.Current);

        // Act
        await handler.InvokeAsync(context).WaitAsync(TestTimeouts.Default);

        // Assert
        var dispatch = await spans.WaitForAsync(static s => s.OperationName == "dispatch /isr/[id]", TestTimeouts.Default);
        var root = await spans.WaitForAsync(s => s.Kind == ActivityKind.Server && s.TraceId == dispatch.TraceId, TestTimeouts.Default);
        Assert.Equal("GET", root.OperationName);
        Assert.Null(root.Parent);
        Assert.Equal(root.SpanId, dispatch.ParentSpanId);
        Assert.Equal("/isr/[id]", root.GetTagItem("http.route"));
        Assert.Equal(200, root.GetTagItem("http.response.status_code"));
        Assert.Null(Activity.Current);
    }
}
