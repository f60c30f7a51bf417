using System.Text;
using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;

namespace Cluster.Gateway.Tests.Diagnostics;

/// <summary>
/// A scripted burst through a real gateway serving the EdgeApp: <c>http.server.request.duration</c> holds one measurement
/// per request, tagged with the route pattern, method, status and cache outcome the client saw.
/// </summary>
public sealed class GatewayRequestMetricsTests : IAsyncLifetime
{
    private GatewayHost _host = null!;
    private GatewayMetricsCollector _metrics = null!;

    public async Task InitializeAsync()
    {
        _host = await GatewayHost.StartAsync(EdgeAppManifest.Instance, "--Gateway:MaxRequestBodySize=65536");
        _metrics = new GatewayMetricsCollector(_host.Services);
    }

    public async Task DisposeAsync()
    {
        _metrics.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Burst_EveryRequest_RecordedOnceWithItsRouteMethodStatusAndCache()
    {
        // Arrange: what each request should be recorded as, built from what the client saw.
        var expected = new List<string>();
        async Task SendAsync(string route, string method, string target, string? body = null)
        {
            var response = await RawHttp.SendAsync(_host.Address, method, target, body).WaitAsync(TestTimeouts.Default);
            var cache = response.Headers.TryGetValue("x-route-cache", out var value) ? value.ToLowerInvariant() : "-";
            expected.Add($"{route} {method} {response.Status} {cache}");
        }

        // Act
        for (var i = 0; i < 3; i++)
        {
            await SendAsync("/echo", "GET", "/echo");
        }

        for (var i = 0; i < 2; i++)
        {
            await SendAsync("/echo", "POST", "/echo", "{}");
            await SendAsync("/echo", "PUT", "/echo", "{}");
        }

        for (var i = 0; i < 4; i++)
        {
            await SendAsync(GatewayMetrics.UnmatchedRoute, "GET", "/no-such-route/" + i);
        }

        for (var i = 0; i < 3; i++)
        {
            await SendAsync("/cache/isr/[key]", "GET", "/cache/isr/metrics");
        }

        await SendAsync("/cache/dynamic", "GET", "/cache/dynamic");
        var tooLarge = await RawHttp.SendBytesAsync(
            _host.Address,
            Encoding.ASCII.GetBytes($"POST /echo HTTP/1.1\r\nHost: {_host.Address.Authority}\r\nContent-Length: 70000\r\nConnection: close\r\n\r\n"))
            .WaitAsync(TestTimeouts.Default);
        expected.Add($"/echo POST {tooLarge.Status} -");
        var custom = await RawHttp.SendAsync(_host.Address, "BREW", "/echo").WaitAsync(TestTimeouts.Default);
        expected.Add($"/echo {GatewayMetrics.OtherMethod} {custom.Status} -");

        await _metrics.WaitForRequestsAsync(expected.Count, TestTimeouts.Default);

        // Assert: the same multiset, and the statuses the scenario is about really happened.
        var recorded = _metrics.Requests;
        Assert.Equal(expected.Order(StringComparer.Ordinal), recorded.Select(static m => m.Key).Order(StringComparer.Ordinal));
        Assert.Contains("/echo PUT 405 -", expected);
        Assert.Contains($"{GatewayMetrics.UnmatchedRoute} GET 404 -", expected);
        Assert.Contains("/echo POST 413 -", expected);
        Assert.Contains($"/echo {GatewayMetrics.OtherMethod} 400 -", expected);
        Assert.Equal(1, expected.Count(static e => e == "/cache/isr/[key] GET 200 miss"));
        Assert.Equal(2, expected.Count(static e => e == "/cache/isr/[key] GET 200 hit"));
        Assert.All(recorded, static m => Assert.IsType<int>(m.Tags[GatewayMetrics.StatusCodeTagName]));
        Assert.All(recorded, static m => Assert.InRange(m.Value, 0, TestTimeouts.Default.TotalSeconds));
    }

    [Fact]
    public async Task Request_NoListener_RecordsNothingAndStillAnswers()
    {
        // Arrange: no one listens once the collector is gone.
        _metrics.Dispose();

        // Act
        var response = await RawHttp.SendAsync(_host.Address, "GET", "/echo").WaitAsync(TestTimeouts.Default);

        // Assert
        Assert.Equal(200, response.Status);
        Assert.Empty(_metrics.Requests);
    }
}
