using System.Diagnostics;
using System.Net;
using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Dispatch;
using Cluster.Gateway.Tests.Caching.TestSupport;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Routing;
using Cluster.Routing.Wire;
using Cluster.Runtime;
using Cluster.Runtime.Hosting;

namespace Cluster.Gateway.Tests.Diagnostics;

/// <summary>
/// Every server error the gateway answers logs exactly one line naming the route, the silo (or <c>-</c>) and the
/// request's trace id, lands in <see cref="RecentFailures"/> with the same facts, and tells the client nothing but the
/// status. The trace id comes from the client's <c>traceparent</c>, which ASP.NET Core's root activity continues.
/// </summary>
public sealed class FailedRequestLogTests(FailedRequestLogTests.Gateway gateway) : IClassFixture<FailedRequestLogTests.Gateway>
{
    private const string Secret = "secret detail";

    public static TheoryData<string, string, int, int, LogLevel, bool> Cases => new()
    {
        // case, path, status, event id, level, reached a silo
        { "silo-unavailable", "/items/unavailable", 503, GatewayEventIds.SiloUnavailable, LogLevel.Warning, true },
        { "timeout", "/items/timeout", 504, GatewayEventIds.DispatchTimedOut, LogLevel.Warning, true },
        { "dispatch-failed", "/items/broken", 500, GatewayEventIds.DispatchFailed, LogLevel.Error, true },
        { "response-write-failed", "/items/bad-header", 500, GatewayEventIds.ResponseWriteFailed, LogLevel.Error, true },
        { "handler-500", "/items/handler-500", 500, GatewayEventIds.RouteAnsweredServerError, LogLevel.Warning, true },
        { "middleware-throws", "/echo", 500, GatewayEventIds.MiddlewareFailed, LogLevel.Error, false },
        { "middleware-responds-503", "/echo", 503, GatewayEventIds.MiddlewareAnsweredServerError, LogLevel.Warning, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ServerError_LogsOneLineWithRouteSiloAndTraceId_AndIsRecorded(
        string testCase, string path, int status, int eventId, LogLevel level, bool reachedSilo)
    {
        // Arrange
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var route = reachedSilo ? "/items/[id]" : GatewayMetrics.MiddlewareRoute;
        var silo = reachedSilo ? gateway.Owner : "-";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        request.Headers.TryAddWithoutValidation("x-case", testCase);

        // Act
        using var response = await gateway.Host.Client.SendAsync(request).WaitAsync(TestTimeouts.Default);

        // Assert: the client gets the status and nothing of the cause.
        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.DoesNotContain(Secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Exactly one line of this request at Information or above, the expected one, naming route, silo and trace.
        var lines = gateway.Host.Logs.Entries.Where(e => e.Level >= LogLevel.Information && e.Message.Contains(traceId, StringComparison.Ordinal)).ToList();
        var line = Assert.Single(lines);
        Assert.Equal(eventId, line.EventId.Id);
        Assert.Equal(level, line.Level);
        Assert.Contains(route, line.Message, StringComparison.Ordinal);
        Assert.Contains("silo " + silo, line.Message, StringComparison.Ordinal);

        // The same facts in RecentFailures, for the dashboard.
        var failure = Assert.Single(gateway.Failures.Snapshot(), f => f.TraceId == traceId);
        Assert.Equal(route, failure.Route);
        Assert.Equal("GET", failure.Method);
        Assert.Equal(status, failure.StatusCode);
        Assert.Equal(reachedSilo ? gateway.Owner : null, failure.Silo);
        Assert.False(string.IsNullOrWhiteSpace(failure.Reason));
    }

    [Fact]
    public async Task ClientError_IsNeitherLoggedAsAFailureNorRecorded()
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/no/such/route");
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await gateway.Host.Client.SendAsync(request).WaitAsync(TestTimeouts.Default);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain(gateway.Failures.Snapshot(), f => f.TraceId == traceId);
        Assert.DoesNotContain(gateway.Host.Logs.Entries, e => e.Level >= LogLevel.Information && e.Message.Contains(traceId, StringComparison.Ordinal));
    }

    /// <summary>
    /// One gateway (with its in-process silo) whose middleware and route owners fail as the request's <c>x-case</c>
    /// header asks; the owner of <c>/items/[id]</c> is scripted, so each failure of the grain call can be played.
    /// </summary>
    public sealed class Gateway : IAsyncLifetime
    {
        public GatewayHost Host { get; private set; } = null!;

        public RecentFailures Failures => Host.Services.GetRequiredService<RecentFailures>();

        /// <summary>The silo that serves <c>/items/[id]</c>, as logs show it.</summary>
        public string Owner { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var owners = new ScriptedRouteDispatcher();
            owners.Override("/items/unavailable", static (_, _) => ValueTask.FromException<RouteReply>(new SiloUnavailableException(Secret)));
            owners.Override("/items/timeout", static (_, _) => ValueTask.FromException<RouteReply>(new TimeoutException(Secret)));
            owners.Override("/items/broken", static (_, _) => ValueTask.FromException<RouteReply>(new InvalidOperationException(Secret)));
            owners.Override("/items/bad-header", static (_, _) => new ValueTask<RouteReply>(new RouteReply(RouteResponse.Text("x").WithHeader("x-bad", "caf\u00e9"))));
            owners.Override("/items/handler-500", static (_, _) => new ValueTask<RouteReply>(new RouteReply(RouteResponse.Empty(500))));
            var app = new MiddlewareTestApp();
            var manifest = app.CreateManifest(static (request, _) =>
                (request.Headers.TryGetValue("x-case", out var testCase) ? testCase : null) switch
                {
                    "middleware-throws" => throw new InvalidOperationException(Secret),
                    "middleware-responds-503" => new ValueTask<MiddlewareResult>(MiddlewareResult.Respond(RouteResponse.Empty(503))),
                    _ => new ValueTask<MiddlewareResult>(MiddlewareResult.Next()),
                });
            Host = await GatewayHost.StartAsync(manifest, services => services.AddSingleton<IRouteDispatcher>(owners));
            // The gateway's own silo: with nothing configured it is the whole cluster, so it serves every route.
            Owner = Host.Services.GetRequiredService<ISiloStatus>().SiloAddress.ToString();
        }

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }
}
