using System.Text;
using Cluster.Grains.Routing;
using Cluster.Grains.Tests.TestInfrastructure;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Tests.Routing;

public sealed class RouteGrainTests
{
    [Fact]
    public async Task HandleAsync_HandlerReturnsResponse_ReturnsIt()
    {
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/hello", RouteMethods.Get, (_, _, _) => ValueTask.FromResult<RouteResponse?>(RouteResponse.Text("hi", 201))));

        var response = await silo.InvokeAsync(RouteSilo.Invocation("/hello"));

        Assert.Equal(201, response.Status);
        Assert.Equal("hi", Encoding.UTF8.GetString(response.Body.Span));
    }

    [Fact]
    public async Task HandleAsync_HandlerCompletesAsynchronously_ReturnsItsResponse()
    {
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/slow", RouteMethods.Post, static async (_, _, _) =>
            {
                await Task.Yield();
                return RouteResponse.Json(new { ok = true });
            }));

        var response = await silo.InvokeAsync(RouteSilo.Invocation("/slow", RouteMethod.Post));

        Assert.Equal(200, response.Status);
        Assert.Equal("{\"ok\":true}", Encoding.UTF8.GetString(response.Body.Span));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HandleAsync_HandlerThrows_Returns500EmptyAndLogsErrorWithPattern(bool afterAwait)
    {
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/api/users/[id]", RouteMethods.Get, afterAwait ? ThrowAfterAwaitAsync : ThrowAtOnce));

        var response = await silo.InvokeAsync(RouteSilo.Invocation("/api/users/[id]"));

        Assert.Equal(500, response.Status);
        Assert.True(response.Body.IsEmpty);
        Assert.Empty(response.Headers);
        var error = Assert.Single(silo.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("/api/users/[id]", error.Message, StringComparison.Ordinal);
        Assert.Contains("GET", error.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(error.Exception);
    }

    [Fact]
    public async Task HandleAsync_HandlerReturnsNull_Returns500AndLogsError()
    {
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/null", RouteMethods.Get, (_, _, _) => ValueTask.FromResult<RouteResponse?>(null)));

        var response = await silo.InvokeAsync(RouteSilo.Invocation("/null"));

        Assert.Equal(500, response.Status);
        Assert.True(response.Body.IsEmpty);
        var error = Assert.Single(silo.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("No response is returned from route handler", error.Message, StringComparison.Ordinal);
        Assert.Contains("/null", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleAsync_MethodTheRouteDoesNotImplement_Returns405WithoutRunningHandler()
    {
        var ran = false;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/get-only", RouteMethods.Get, (_, _, _) =>
            {
                ran = true;
                return ValueTask.FromResult<RouteResponse?>(RouteResponse.Empty());
            }));

        var response = await silo.InvokeAsync(RouteSilo.Invocation("/get-only", RouteMethod.Delete));

        Assert.Equal(405, response.Status);
        Assert.False(ran);
    }

    [Fact]
    public async Task HandleAsync_ClientAborts_Returns500AndLogsDebugNotError()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/long", RouteMethods.Get, async (_, _, context) =>
            {
                entered.SetResult();
                await Task.Delay(Timeout.Infinite, context.Aborted);
                return RouteResponse.Empty();
            }));
        using var client = new CancellationTokenSource();

        var pending = silo.InvokeAsync(RouteSilo.Invocation("/long"), client.Token);
        await entered.Task.WithTimeout();
        await client.CancelAsync();
        var response = await pending;

        Assert.Equal(500, response.Status);
        Assert.DoesNotContain(silo.Logs.Entries, e => e.Level >= LogLevel.Warning);
        Assert.Contains(silo.Logs.Entries, e => e.Level == LogLevel.Debug && e.Message.Contains("/long", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HandleAsync_ParamsHeadersBodyAndUrl_ReachTheHandler()
    {
        RouteRequest? seenRequest = null;
        RouteContext? seenContext = null;
        RouteMethod? seenMethod = null;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/shop/[id]", RouteMethods.Put, (method, request, context) =>
            {
                seenMethod = method;
                seenRequest = request;
                seenContext = context;
                return ValueTask.FromResult<RouteResponse?>(RouteResponse.Empty());
            }));
        var invocation = RouteSilo.Invocation(
            "/shop/[id]",
            RouteMethod.Put,
            RouteParams.Of(("id", "42")),
            RouteHeaders.FromPairs([new("x-test", "yes"), new("cookie", "a=1")]),
            "{\"n\":1}"u8.ToArray());

        await silo.InvokeAsync(invocation);

        Assert.Equal(RouteMethod.Put, seenMethod);
        Assert.Equal("PUT", seenRequest!.Method);
        Assert.Equal("https://shop.example/shop/[id]?q=1", seenRequest.Url.OriginalString);
        Assert.Equal("yes", seenRequest.Headers["x-test"]);
        Assert.Equal("1", seenRequest.Cookies["a"]);
        Assert.Equal("{\"n\":1}", await seenRequest.ReadTextAsync());
        Assert.Equal("42", seenContext!.Params["id"]);
    }

    [Fact]
    public async Task InvokeAsync_ManyCallsToOnePattern_OneActivationAndOneHandler()
    {
        var handlersBuilt = 0;
        var route = new RouteDefinition
        {
            Pattern = "/counted",
            SourceFile = "app/counted/route.cs",
            HandlerType = "TestApp.Counted",
            Methods = RouteMethods.Get,
            CreateHandler = _ =>
            {
                Interlocked.Increment(ref handlersBuilt);
                return new TestRouteHandler((_, _, _) => ValueTask.FromResult<RouteResponse?>(RouteResponse.Empty(200)));
            },
        };
        await using var silo = await RouteSilo.StartAsync(route);

        var responses = await Task.WhenAll(
            Enumerable.Range(0, 200).Select(_ => Task.Run(() => silo.InvokeAsync(RouteSilo.Invocation("/counted"))))).WithTimeout();

        Assert.All(responses, r => Assert.Equal(200, r.Status));
        Assert.Equal(1, handlersBuilt);
    }

    [Fact]
    public async Task InvokeAsync_OnePattern_RequestsRunInParallel()
    {
        var bothInside = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var inside = 0;
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/parallel", RouteMethods.Get, async (_, _, _) =>
            {
                if (Interlocked.Increment(ref inside) == 2)
                {
                    bothInside.SetResult();
                }

                await bothInside.Task;
                return RouteResponse.Empty(200);
            }));

        var first = silo.InvokeAsync(RouteSilo.Invocation("/parallel"));
        var second = silo.InvokeAsync(RouteSilo.Invocation("/parallel"));

        Assert.Equal(200, (await first).Status);
        Assert.Equal(200, (await second).Status);
    }

    [Fact]
    public async Task InvokeAsync_PatternNotInManifest_Throws()
    {
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/known", RouteMethods.Get, (_, _, _) => ValueTask.FromResult<RouteResponse?>(RouteResponse.Empty())));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => silo.InvokeAsync(RouteSilo.Invocation("/unknown")));

        Assert.Contains("/unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevalidatePathAsync_NothingCachedYet_CompletesAtOnce()
    {
        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/revalidate", RouteMethods.Post, static async (_, _, context) =>
            {
                await context.RevalidatePathAsync("/blog");
                await context.RevalidateTagAsync("posts");
                return RouteResponse.Empty(200);
            }));

        var response = await silo.InvokeAsync(RouteSilo.Invocation("/revalidate", RouteMethod.Post));

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public void RouteCatalog_TwoRoutesWithOnePattern_Throws()
    {
        var route = RouteSilo.Route("/dup", RouteMethods.Get, (_, _, _) => ValueTask.FromResult<RouteResponse?>(null));

        var error = Assert.Throws<ArgumentException>(() => new RouteCatalog(new ClusterAppManifest { AppName = "A", Routes = [route, route] }));

        Assert.Contains("/dup", error.Message, StringComparison.Ordinal);
    }

    private static ValueTask<RouteResponse?> ThrowAtOnce(RouteMethod method, RouteRequest request, RouteContext context)
        => throw new InvalidOperationException("secret detail");

    private static async ValueTask<RouteResponse?> ThrowAfterAwaitAsync(RouteMethod method, RouteRequest request, RouteContext context)
    {
        await Task.Yield();
        throw new InvalidOperationException("secret detail");
    }
}
