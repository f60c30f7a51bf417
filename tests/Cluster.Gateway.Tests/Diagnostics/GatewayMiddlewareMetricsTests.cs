using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Routing;

namespace Cluster.Gateway.Tests.Diagnostics;

/// <summary>
/// <c>cluster.gateway.middleware.outcomes</c> counts each middleware decision, and the requests the middleware answered
/// itself are recorded under <see cref="GatewayMetrics.MiddlewareRoute"/>, the ones it let through under their route.
/// </summary>
public sealed class GatewayMiddlewareMetricsTests : IAsyncLifetime
{
    private const string OutcomesFamily = "cluster_gateway_middleware_outcomes_total";

    private readonly MiddlewareTestApp _app = new();
    private GatewayHost _host = null!;
    private GatewayMetricsCollector _metrics = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayHost.StartAsync(_app.CreateManifest(static (request, _) => Decide(request)));
        _metrics = new GatewayMetricsCollector(_host.Services);
    }

    public async Task DisposeAsync()
    {
        _metrics.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Burst_EachMiddlewareResult_CountedByOutcomeAndRecordedWithItsRoute()
    {
        // Arrange
        (string Case, string Target, int Times, string Outcome, string Route)[] script =
        [
            ("next", "/echo", 3, "next", "/echo"),
            ("rewrite", "/open", 2, "rewrite", "/rewritten"),
            ("rewrite-missing", "/open", 1, "rewrite", GatewayMetrics.UnmatchedRoute),
            ("redirect", "/open", 2, "redirect", GatewayMetrics.MiddlewareRoute),
            ("respond", "/open", 1, "respond", GatewayMetrics.MiddlewareRoute),
            ("throw", "/open", 2, "error", GatewayMetrics.MiddlewareRoute),
            ("throw-async", "/open", 1, "error", GatewayMetrics.MiddlewareRoute),
        ];
        var expectedRequests = new List<string>();
        var expectedOutcomes = new List<string>();

        // Act
        foreach (var (testCase, target, times, outcome, route) in script)
        {
            for (var i = 0; i < times; i++)
            {
                var response = await RawHttp.SendAsync(_host.Address, "GET", target, null, "x-case: " + testCase).WaitAsync(TestTimeouts.Default);
                expectedRequests.Add($"{route} GET {response.Status} -");
                expectedOutcomes.Add(outcome);
            }
        }

        await _metrics.WaitForRequestsAsync(expectedRequests.Count, TestTimeouts.Default);

        // Assert
        var expectedCounts = expectedOutcomes.GroupBy(static o => o, StringComparer.Ordinal).ToDictionary(static g => g.Key, static g => (long)g.Count(), StringComparer.Ordinal);
        Assert.Equal(expectedCounts.OrderBy(static p => p.Key, StringComparer.Ordinal), _metrics.CollectOutcomes().OrderBy(static p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expectedRequests.Order(StringComparer.Ordinal), _metrics.Requests.Select(static m => m.Key).Order(StringComparer.Ordinal));
        Assert.Contains($"{GatewayMetrics.MiddlewareRoute} GET 307 -", expectedRequests);
        Assert.Contains($"{GatewayMetrics.MiddlewareRoute} GET 401 -", expectedRequests);
        Assert.Contains($"{GatewayMetrics.MiddlewareRoute} GET 500 -", expectedRequests);
        Assert.Contains($"{GatewayMetrics.UnmatchedRoute} GET 404 -", expectedRequests);
        Assert.Contains("/rewritten GET 200 -", expectedRequests);

        // The scrape shows the same totals, as a counter family.
        var scrape = PrometheusTextParser.Parse(await _host.Client.GetStringAsync("/_cluster/metrics"));
        Assert.Equal("counter", scrape[OutcomesFamily].Type);
        foreach (var (outcome, count) in expectedCounts)
        {
            Assert.Equal(count, scrape.Value(OutcomesFamily, OutcomesFamily, ("outcome", outcome)));
        }
    }

    private static ValueTask<MiddlewareResult> Decide(RouteRequest request) =>
        (request.Headers.TryGetValue("x-case", out var value) ? value : "next") switch
        {
            "rewrite" => new(MiddlewareResult.Rewrite("/rewritten")),
            "rewrite-missing" => new(MiddlewareResult.Rewrite("/no-such-route")),
            "redirect" => new(MiddlewareResult.Redirect("/elsewhere")),
            "respond" => new(MiddlewareResult.Respond(RouteResponse.Json(new { error = "unauthorized" }, 401))),
            "throw" => throw new InvalidOperationException("middleware failed"),
            "throw-async" => ThrowAsync(),
            _ => new(MiddlewareResult.Next()),
        };

    private static async ValueTask<MiddlewareResult> ThrowAsync()
    {
        await Task.Yield();
        throw new InvalidOperationException("middleware failed later");
    }
}
