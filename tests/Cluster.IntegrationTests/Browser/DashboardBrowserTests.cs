using System.Diagnostics;
using System.Globalization;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.TestSupport;
using Microsoft.Extensions.Hosting;
using OpenQA.Selenium;
using Xunit.Abstractions;
using SeleniumLogLevel = OpenQA.Selenium.LogLevel;

namespace Cluster.IntegrationTests.Browser;

/// <summary>
/// The gateway's dashboard in a real browser (headless Chromium): a person logs in with the admin token, watches a
/// three-silo cluster under load, reads numbers that agree with <c>/_cluster/metrics</c>, and sees a killed silo turn
/// Dead. The page must load nothing from outside the gateway and log no console errors. Screenshots go to
/// <c>artifacts/test-results/</c>.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DashboardBrowserTests(BrowserFixture browser, ITestOutputHelper output)
{
    private const string RequestCount = "http_server_request_duration_seconds_count";
    private const string Activations = "cluster_grain_activations";

    // A cached (ISR) route, a dynamic one with a parameter, and a plain one.
    private static readonly string[] s_loadPaths = ["/api/featured", "/api/products/1", "/about"];

    // Generous: two shared cores run the cluster, the load, the browser and maybe other tests.
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(60);

    // A killed silo is Dead once the others' probes have failed and they voted, and the gateway's view has caught up.
    private static readonly TimeSpan s_deathWait = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Dashboard_ThreeSilosUnderLoadThenOneKilled_AgreesWithMetricsAndShowsTheSiloDead()
    {
        // Arrange: a gateway outside Development with an admin token, three silos, and the browser.
        var elapsed = Stopwatch.StartNew();
        var driver = browser.Driver;
        _ = driver.Manage().Logs.GetLog(LogType.Browser);
        var token = "dashboard-" + Guid.NewGuid().ToString("N");
        await using var cluster = await TestCluster.StartAsync(new TestClusterOptions { Silos = 3, Gateways = 0 });
        var gateway = await cluster.AddGatewayAsync("--environment", "Production", "--Cluster:AdminToken=" + token);
        Assert.False(gateway.Services.GetRequiredService<IHostEnvironment>().IsDevelopment(), "the gateway must run outside Development");
        await cluster.WaitForStableAsync();
        await cluster.WaitForReadyAsync();
        var silos = cluster.Silos.Select(static s => s.SiloAddress().ToString()).ToList();
        var page = new DashboardPage(driver, gateway.HttpAddress);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        await using var load = new LoadGenerator(gateway.HttpAddress, s_loadPaths, workers: 2);
        await load.WaitForMoreSuccessesAsync(30, s_wait);

        // Act 1: log in through the form and watch the cluster under load.
        page.Open();
        await Eventually.HoldsAsync(() => page.ShowsLoginForm() ? null : page.Describe(), s_wait, "the login form (form#login, input[name=token])");
        page.LogIn(token);
        await Eventually.HoldsAsync(
            () => SiloRowsProblem(page, silos, "Active"),
            s_wait,
            "a row per silo, each data-status=\"Active\"");
        var first = page.Sequence();
        await Eventually.HoldsAsync(
            () => page.Sequence() > first && page.Connection() == "live" ? null : page.Describe(),
            s_wait,
            $"body[data-sequence] to advance past {first} with #connection 'live'");
        await Eventually.HoldsAsync(
            () =>
            {
                var shown = page.Routes();
                var missing = s_loadPaths.Select(SamplePaths.PatternOf)
                    .Where(p => !shown.Any(r => r.Pattern == p && long.TryParse(r.Requests, CultureInfo.InvariantCulture, out var n) && n > 0))
                    .ToList();
                return missing.Count == 0 ? null : $"no requests shown for {string.Join(", ", missing)}; {page.Describe()}";
            },
            s_wait,
            "rows with requests for every loaded route");

        // A few more samples under load, so the screenshot's charts show the load rather than a single point.
        var shownFrom = page.Sequence();
        await Eventually.HoldsAsync(
            () => page.Sequence() >= shownFrom + 5 ? null : page.Describe(),
            s_wait,
            $"five more samples after {shownFrom}");
        output.WriteLine("screenshot under load: " + page.SaveScreenshot("dashboard-under-load"));

        // Assert 1: once the load stops, every number shown equals the scrapes.
        await load.StopAsync();
        Assert.Empty(load.Failures);
        await Eventually.HoldsAsync(
            () => DisagreementAsync(page, gateway, cluster, http),
            s_wait,
            "the routes' requests and the silos' activations shown to equal /_cluster/metrics of the gateway and each silo");

        // Act 2: kill a silo.
        var victim = cluster.Silos[^1];
        var victimAddress = victim.SiloAddress().ToString();
        await cluster.KillSiloAsync(victim);

        // Assert 2: its row turns Dead; the page stayed on the gateway's origin and logged no error.
        await Eventually.HoldsAsync(
            () => page.Silos().Any(r => r.Address == victimAddress && r.Status == "Dead") ? null : page.Describe(),
            s_deathWait,
            $"{victim.Name}'s row ({victimAddress}) to show data-status=\"Dead\"");
        output.WriteLine("screenshot after the kill: " + page.SaveScreenshot("dashboard-silo-dead"));
        Assert.True(page.Connection() == "live", "the event stream dropped: " + page.Describe());
        var loaded = page.LoadedUrls();
        var foreign = page.ForeignUrls();
        Assert.True(foreign.Count == 0, $"The page loaded from outside {page.Origin}: {string.Join(", ", foreign)}");
        output.WriteLine($"the page loaded {loaded.Count} URLs, all from {page.Origin}: {string.Join(", ", loaded.Distinct())}");
        var errors = driver.Manage().Logs.GetLog(LogType.Browser)
            .Where(static e => e.Level == SeleniumLogLevel.Severe)
            .Select(static e => e.Message)
            .ToList();
        Assert.True(errors.Count == 0, "The browser console has errors:\n" + string.Join("\n", errors));
        output.WriteLine($"the test took {elapsed.Elapsed.TotalSeconds:F0} s");
    }

    /// <summary>What is wrong with the silo rows: not exactly one per silo in <paramref name="addresses"/>, or one not in <paramref name="status"/>.</summary>
    private static string? SiloRowsProblem(DashboardPage page, IEnumerable<string> addresses, string status)
    {
        var rows = page.Silos();
        var problems = addresses
            .Select(a => (Address: a, Rows: rows.Where(r => r.Address == a).ToList()))
            .Where(x => x.Rows.Count != 1 || x.Rows[0].Status != status)
            .Select(x => x.Rows.Count == 1 ? $"{x.Address} is {x.Rows[0].Status}" : $"{x.Rows.Count} rows for {x.Address}")
            .ToList();
        return problems.Count == 0 ? null : string.Join("; ", problems) + "; " + page.Describe();
    }

    /// <summary>
    /// Where the page and the metrics differ (null when nowhere): each route row's requests against the gateway's
    /// request count summed over methods and statuses for that <c>http_route</c>, each running silo's activations against
    /// the <c>cluster_grain_activations</c> sum of that silo's own <c>/_cluster/metrics</c>.
    /// </summary>
    private static async Task<string?> DisagreementAsync(DashboardPage page, ClusterHost gateway, TestCluster cluster, HttpClient http)
    {
        var problems = new List<string>();
        var scrape = PrometheusTextParser.Parse(await http.GetStringAsync(new Uri(gateway.HttpAddress, "/_cluster/metrics")));
        var requests = scrape.Values
            .SelectMany(static f => f.Samples)
            .Where(static s => s.Name == RequestCount)
            .GroupBy(static s => s.Labels.GetValueOrDefault("http_route") ?? string.Empty)
            .ToDictionary(static g => g.Key, static g => g.Sum(static s => s.Value));
        var routes = page.Routes();
        problems.AddRange(s_loadPaths.Select(SamplePaths.PatternOf).Where(p => routes.All(r => r.Pattern != p)).Select(static p => $"no row for {p}"));
        foreach (var row in routes)
        {
            var expected = requests.GetValueOrDefault(row.Pattern).ToString(CultureInfo.InvariantCulture);
            if (row.Requests != expected)
            {
                problems.Add($"{row.Pattern} shows {row.Requests} requests, the gateway counted {expected}");
            }
        }

        var siloRows = page.Silos();
        foreach (var silo in cluster.RunningSilos)
        {
            var address = silo.SiloAddress().ToString();
            var siloScrape = PrometheusTextParser.Parse(await http.GetStringAsync(new Uri(silo.HttpAddress, "/_cluster/metrics")));
            var expected = (siloScrape.TryGetValue(Activations, out var family) ? family.Samples.Sum(static s => s.Value) : 0)
                .ToString(CultureInfo.InvariantCulture);
            var shown = siloRows.FirstOrDefault(r => r.Address == address)?.Activations ?? "no row";
            if (shown != expected)
            {
                problems.Add($"{silo.Name} ({address}) shows {shown} activations, its metrics say {expected}");
            }
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}
