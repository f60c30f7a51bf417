using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Cluster.Gateway.Tests.Infrastructure;

namespace Cluster.Gateway.Tests.Dashboard;

/// <summary>The dashboard's endpoints on the shared edge-app gateway (Development: no token needed).</summary>
[Collection(EdgeAppCollection.Name)]
public sealed partial class DashboardEndpointTests(EdgeAppFixture fixture)
{
    [Fact]
    public async Task Page_Development_ServedWithoutToken()
    {
        using var response = await fixture.Host.Client.GetAsync("/_cluster/dashboard");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<table id=\"silos\">", html, StringComparison.Ordinal);
        Assert.Contains("<table id=\"routes\">", html, StringComparison.Ordinal);
        Assert.Contains("<canvas id=\"throughput-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("<canvas id=\"latency-chart\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"connection\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("form id=\"login\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/_cluster/dashboard", 200)]
    [InlineData("/_cluster/dashboard/app.js", 200)]
    [InlineData("/_cluster/dashboard/app.css", 200)]
    [InlineData("/_cluster/dashboard/favicon.svg", 200)]
    [InlineData("/_cluster/dashboard/snapshot", 200)]
    [InlineData("/_cluster/dashboard/no-such-thing", 404)]
    public async Task Get_AnyDashboardPath_CarriesTheSecurityHeaders(string path, int status)
    {
        using var response = await fixture.Host.Client.GetAsync(path);

        Assert.Equal(status, (int)response.StatusCode);
        DashboardAssertions.HasSecurityHeaders(response);
    }

    [Theory]
    [InlineData("/_cluster/dashboard", "text/html")]
    [InlineData("/_cluster/dashboard/app.js", "text/javascript")]
    [InlineData("/_cluster/dashboard/app.css", "text/css")]
    [InlineData("/_cluster/dashboard/favicon.svg", "image/svg+xml")]
    [InlineData("/_cluster/dashboard/snapshot", "application/json")]
    public async Task Get_Asset_ServedWithItsContentType(string path, string mediaType)
    {
        using var response = await fixture.Host.Client.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(body);
    }

    [Theory]
    [InlineData("/_cluster/dashboard/x")]
    [InlineData("/_cluster/dashboard/app.js/x")]
    [InlineData("/_cluster/dashboard/snapshot/x")]
    [InlineData("/_cluster/dashboard/login")]
    [InlineData("/_cluster/dashboard/index.html")]
    public async Task Get_UnknownDashboardPath_Returns404(string path)
    {
        using var response = await fixture.Host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        DashboardAssertions.HasSecurityHeaders(response);
    }

    [Theory]
    [InlineData("/_cluster/dashboard")]
    [InlineData("/_cluster/dashboard/login")]
    public async Task Pages_Html_HaveNoInlineScriptOrStyle(string path)
    {
        // The login page is the form a Development gateway never shows; read it from the embedded assets instead.
        var html = path.EndsWith("/login", StringComparison.Ordinal)
            ? System.Text.Encoding.UTF8.GetString(new Cluster.Gateway.Dashboard.DashboardAssets().Login)
            : await fixture.Host.Client.GetStringAsync(path);

        Assert.All(ScriptTag().Matches(html), static m => Assert.Matches("src=\"/_cluster/dashboard/app\\.js\"", m.Value));
        Assert.DoesNotMatch(InlineHandler(), html);
        Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);
    }

    [Fact]
    public async Task Script_NeverWritesMarkup()
    {
        var script = await fixture.Host.Client.GetStringAsync("/_cluster/dashboard/app.js");

        Assert.DoesNotContain("innerHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("outerHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("insertAdjacentHTML", script, StringComparison.Ordinal);
        Assert.DoesNotContain("document.write", script, StringComparison.Ordinal);
        Assert.DoesNotContain("eval(", script, StringComparison.Ordinal);
        Assert.Contains("new EventSource(base + '/events')", script, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Snapshot_Json_HasTheContractsShape()
    {
        using var response = await fixture.Host.Client.GetAsync("/_cluster/dashboard/snapshot");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = json.RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(root.GetProperty("sequence").GetInt64() >= 1);
        Assert.True(root.GetProperty("at").TryGetDateTimeOffset(out _));
        Assert.Equal(JsonValueKind.Object, root.GetProperty("gateway").ValueKind);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("throughput").ValueKind);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("errors").ValueKind);
        Assert.Equal(JsonValueKind.Array, root.GetProperty("events").ValueKind);

        var silo = Assert.Single(root.GetProperty("silos").EnumerateArray());
        foreach (var name in (string[])["address", "name", "host", "status", "reachable", "uptimeSeconds", "activations", "cpuPercent",
            "workingSetBytes", "gcHeapBytes", "messagesReceived", "messagesSent", "messagesRejected", "queuedRequests", "connections"])
        {
            Assert.True(silo.TryGetProperty(name, out _), "silos[0] has no " + name);
        }

        Assert.Equal("Active", silo.GetProperty("status").GetString());
        var routes = root.GetProperty("routes").EnumerateArray().ToDictionary(static r => r.GetProperty("pattern").GetString()!);
        foreach (var name in (string[])["pattern", "kind", "owner", "requests", "requestsPerSecond", "p50Ms", "p99Ms", "errorRate", "cacheHitRatio"])
        {
            Assert.True(routes["/echo"].TryGetProperty(name, out _), "routes[/echo] has no " + name);
        }

        Assert.Equal("dynamic", routes["/echo"].GetProperty("kind").GetString());
        Assert.Equal("isr", routes["/cache/isr/[key]"].GetProperty("kind").GetString());
        Assert.Equal("static", routes["/cache/static/[key]"].GetProperty("kind").GetString());

        // One silo: it owns every route.
        Assert.Equal(silo.GetProperty("address").GetString(), routes["/echo"].GetProperty("owner").GetString());
    }

    [GeneratedRegex("<script\\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();

    [GeneratedRegex("\\son[a-z]+\\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex("(?:src|href)=\"[a-z]+://[^\"]*\"", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
