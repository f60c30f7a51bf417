using System.Globalization;
using System.Net;
using System.Text.Json;
using Cluster.Gateway.Dashboard;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;

namespace Cluster.Gateway.Tests.Dashboard;

/// <summary>
/// The snapshot's numbers after a scripted burst, each test on a fresh gateway: its first snapshot request starts the
/// idle sampler, so the answer is a sample taken after the burst.
/// </summary>
public sealed class DashboardSnapshotTests : IAsyncLifetime
{
    private GatewayHost _host = null!;

    public async Task InitializeAsync() => _host = await GatewayHost.StartAsync(EdgeAppManifest.Instance);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Snapshot_AfterNRequests_RouteRequestsEqualNAndTheMetricsCount()
    {
        // Arrange: 9 requests of /echo (two methods, two statuses), and some that match no route.
        for (var i = 0; i < 6; i++)
        {
            await SendAsync("GET", "/echo", HttpStatusCode.OK);
        }

        await SendAsync("POST", "/echo", HttpStatusCode.OK, "{}");
        await SendAsync("PUT", "/echo", HttpStatusCode.MethodNotAllowed, "{}");
        await SendAsync("PUT", "/echo", HttpStatusCode.MethodNotAllowed, "{}");
        await SendAsync("GET", "/no-such-route", HttpStatusCode.NotFound);

        // Act
        var snapshot = await GetSnapshotAsync();
        var scrape = PrometheusTextParser.Parse(await _host.Client.GetStringAsync("/_cluster/metrics"));

        // Assert: exactly the requests sent, and exactly what a scrape counts for the route.
        var echo = Assert.Single(snapshot.Routes, static r => r.Pattern == "/echo");
        Assert.Equal(9, echo.Requests);
        var counted = scrape["http_server_request_duration_seconds"].Samples
            .Where(static s => s.Name == "http_server_request_duration_seconds_count" && s.Labels.GetValueOrDefault("http_route") == "/echo")
            .Sum(static s => s.Value);
        Assert.Equal(counted, echo.Requests);
        Assert.Equal(0, echo.ErrorRate);
        Assert.Null(echo.CacheHitRatio);
        Assert.NotNull(echo.P50Ms);
        Assert.NotNull(echo.P99Ms);
        Assert.True(echo.P50Ms <= echo.P99Ms);
        Assert.All(snapshot.Routes.Where(static r => r.Pattern != "/echo"), static r => Assert.Equal(0, r.Requests));
    }

    [Fact]
    public async Task Snapshot_AfterAFailingRoute_ShowsItsErrorRateAndTheFailures()
    {
        // Arrange: a handler that throws (500) three times, and a route that works.
        for (var i = 0; i < 3; i++)
        {
            await SendAsync("GET", "/throws", HttpStatusCode.InternalServerError);
        }

        await SendAsync("GET", "/echo", HttpStatusCode.OK);

        // Act
        var snapshot = await GetSnapshotAsync();

        // Assert: every /throws request failed; the failures are listed newest first, with where they ran.
        var throws = Assert.Single(snapshot.Routes, static r => r.Pattern == "/throws");
        Assert.Equal(3, throws.Requests);
        Assert.Equal(1, throws.ErrorRate);
        Assert.Equal(0, Assert.Single(snapshot.Routes, static r => r.Pattern == "/echo").ErrorRate);
        var failures = snapshot.Errors.Where(static e => e.Route == "/throws").ToList();
        Assert.Equal(3, failures.Count);
        Assert.All(failures, static e =>
        {
            Assert.Equal("GET", e.Method);
            Assert.Equal(500, e.StatusCode);
            Assert.False(string.IsNullOrEmpty(e.Reason));
        });
        Assert.Equal(failures.OrderByDescending(static e => e.At).Select(static e => e.At), failures.Select(static e => e.At));
        Assert.DoesNotContain(snapshot.Errors, static e => e.Route == "/echo");
    }

    [Fact]
    public async Task Snapshot_CachedRoute_HitRatioFromTheCacheOutcomes()
    {
        // Arrange: one MISS (the first render) then three near-cache HITs.
        for (var i = 0; i < 4; i++)
        {
            await SendAsync("GET", "/cache/isr/ratio", HttpStatusCode.OK);
        }

        // Act
        var snapshot = await GetSnapshotAsync();

        // Assert
        var route = Assert.Single(snapshot.Routes, static r => r.Pattern == "/cache/isr/[key]");
        Assert.Equal(4, route.Requests);
        Assert.Equal(0.75, route.CacheHitRatio);
    }

    [Fact]
    public async Task Snapshot_EmbeddedSilo_ListedActiveWithItsStatisticsAndOwningTheRoutes()
    {
        // The embedded default: the gateway's silo is alone (no shared membership table), and is the whole cluster.
        var snapshot = await GetSnapshotAsync();

        var silo = Assert.Single(snapshot.Silos);
        Assert.Equal("Active", silo.Status);
        Assert.True(silo.Reachable);
        Assert.NotNull(silo.Activations);
        Assert.True(silo.UptimeSeconds > 0);
        Assert.True(silo.WorkingSetBytes > 0);
        Assert.Equal(silo.Address, snapshot.Gateway.Silo);
        Assert.All(snapshot.Routes, r => Assert.Equal(silo.Address, r.Owner));
    }

    private async Task<DashboardSnapshot> GetSnapshotAsync()
    {
        using var response = await _host.Client.GetAsync("/_cluster/dashboard/snapshot").WaitAsync(TestTimeouts.Default);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), DashboardJsonContext.Default.DashboardSnapshot)!;
    }

    private async Task SendAsync(string method, string target, HttpStatusCode expected, string? body = null)
    {
        var response = await RawHttp.SendAsync(_host.Address, method, target, body).WaitAsync(TestTimeouts.Default);
        Assert.True((int)expected == response.Status, string.Create(CultureInfo.InvariantCulture, $"{method} {target}: {response.Status}"));
    }
}
