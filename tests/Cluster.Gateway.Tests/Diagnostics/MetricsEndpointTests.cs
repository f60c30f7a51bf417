using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;

namespace Cluster.Gateway.Tests.Diagnostics;

/// <summary>
/// Issue 6's metrics check, end to end: after a scripted burst through a real gateway (embedded silo), the text
/// <c>GET /_cluster/metrics</c> answers parses as Prometheus exposition and its counts equal the requests sent, per route,
/// method and status — and the route cache's own counters agree with the cache outcomes the client saw.
/// </summary>
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private const string Duration = "http_server_request_duration_seconds";
    private GatewayHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync(EdgeAppManifest.Instance);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Scrape_AfterABurst_CountsEqualTheRequestsSentPerRouteMethodAndStatus()
    {
        // Arrange: a burst of known shape.
        var sent = new Dictionary<(string Route, string Method, int Status, string Cache), int>();
        async Task SendAsync(string route, string method, string target, string? body = null)
        {
            var response = await RawHttp.SendAsync(_host.Address, method, target, body).WaitAsync(TestTimeouts.Default);
            var cache = response.Headers.TryGetValue("x-route-cache", out var value) ? value.ToLowerInvariant() : "";
            var key = (route, method, response.Status, cache);
            sent[key] = sent.GetValueOrDefault(key) + 1;
        }

        for (var i = 0; i < 5; i++)
        {
            await SendAsync("/echo", "GET", "/echo");
            await SendAsync("/cache/isr/[key]", "GET", "/cache/isr/scrape");
        }

        for (var i = 0; i < 3; i++)
        {
            await SendAsync("/echo", "POST", "/echo", "{}");
            await SendAsync("/echo", "PUT", "/echo", "{}");
            await SendAsync("(unmatched)", "GET", "/no-such-route/" + i);
        }

        // Act
        using var client = new HttpClient { BaseAddress = _host.Address, Timeout = TestTimeouts.Default };
        using var response = await client.GetAsync("/_cluster/metrics");
        var text = await response.Content.ReadAsStringAsync();

        // Assert: strict exposition format; every sent combination counted exactly, nothing else recorded.
        Assert.Equal(200, (int)response.StatusCode);
        Assert.StartsWith("text/plain; version=0.0.4", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var families = PrometheusTextParser.Parse(text);
        Assert.Equal("histogram", families[Duration].Type);
        foreach (var ((route, method, status, cache), count) in sent)
        {
            (string, string)[] labels = cache.Length == 0
                ? [("http_request_method", method), ("http_response_status_code", status.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("http_route", route)]
                : [("http_request_method", method), ("http_response_status_code", status.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("http_route", route), ("route_cache", cache)];
            Assert.Equal(count, families.Value(Duration, Duration + "_count", labels));
        }

        var counted = families[Duration].Samples.Where(static s => s.Name == Duration + "_count").Sum(static s => s.Value);
        Assert.Equal(sent.Values.Sum(), counted);
        Assert.Contains(sent.Keys, static k => k.Status == 405);
        Assert.Contains(sent.Keys, static k => k.Status == 404);

        // The owner counted one MISS for the cached path; the other four were near-cache HITs the owner never saw.
        Assert.Equal(1, sent[("/cache/isr/[key]", "GET", 200, "miss")]);
        Assert.Equal(4, sent[("/cache/isr/[key]", "GET", 200, "hit")]);
        Assert.Equal(1, families.Value("cluster_route_cache_requests_total", "cluster_route_cache_requests_total", ("cache_status", "miss"), ("http_route", "/cache/isr/[key]")));
        Assert.True(families.Value("cluster_route_cache_entries", "cluster_route_cache_entries") >= 1);
    }
}
