using System.Net;
using Cluster.Gateway.Dashboard;

namespace Cluster.Gateway.Tests.Dashboard;

/// <summary>The dashboard outside Development: bearer token, login form and session cookie.</summary>
public sealed class DashboardAuthTests(DashboardProductionFixture fixture) : IClassFixture<DashboardProductionFixture>
{
    private const string Token = DashboardProductionFixture.AdminToken;

    private HttpClient Client => fixture.Host.Client;

    [Fact]
    public async Task Page_NoCredentials_ShowsTheLoginForm()
    {
        using var response = await Client.GetAsync("/_cluster/dashboard");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<form id=\"login\" method=\"post\" action=\"/_cluster/dashboard/login\">", html, StringComparison.Ordinal);
        Assert.Contains("name=\"token\"", html, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"silos\"", html, StringComparison.Ordinal);
        DashboardAssertions.HasSecurityHeaders(response);
    }

    [Fact]
    public async Task Page_RightBearer_ShowsTheDashboard()
    {
        using var response = await SendAsync(HttpMethod.Get, "/_cluster/dashboard", ("Authorization", "Bearer " + Token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<table id=\"silos\">", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Bearer " + Token + "x")]
    [InlineData("Bearer wrong")]
    [InlineData("Basic " + Token)]
    [InlineData(Token)]
    public async Task Page_WrongBearer_Returns401WithTheLoginFormAndLogsAWarning(string authorization)
    {
        using var response = await SendAsync(HttpMethod.Get, "/_cluster/dashboard", ("Authorization", authorization));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("form id=\"login\"", html, StringComparison.Ordinal);
        Assert.Contains("login-error", html, StringComparison.Ordinal);
        Assert.Contains(fixture.Host.Logs.Entries, static e => e.EventId.Id == 5000 && e.Level == LogLevel.Warning);
        Assert.DoesNotContain(fixture.Host.Logs.Entries, static e => e.Message.Contains(Token, StringComparison.Ordinal));
        DashboardAssertions.HasSecurityHeaders(response);
    }

    [Theory]
    [InlineData("/_cluster/dashboard/snapshot")]
    [InlineData("/_cluster/dashboard/events")]
    public async Task Data_NoCredentials_Returns401Json(string path)
    {
        using var response = await Client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
        DashboardAssertions.HasSecurityHeaders(response);
    }

    [Fact]
    public async Task Snapshot_RightBearer_ReturnsTheSnapshot()
    {
        using var response = await SendAsync(HttpMethod.Get, "/_cluster/dashboard/snapshot", ("Authorization", "Bearer " + Token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"sequence\":", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/_cluster/dashboard/app.js")]
    [InlineData("/_cluster/dashboard/app.css")]
    public async Task Assets_NoCredentials_Served(string path)
    {
        // They hold no data, and the login page needs the stylesheet.
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Login_WrongToken_Returns401WithTheFormAgainAndLogsAWarningWithoutTheToken()
    {
        using var response = await PostLoginAsync("not-the-token-" + Token);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("form id=\"login\"", html, StringComparison.Ordinal);
        Assert.Contains("login-error", html, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.Contains(fixture.Host.Logs.Entries, static e => e.EventId.Id == 5000 && e.Level == LogLevel.Warning && e.Message.Contains("login form", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Host.Logs.Entries, static e => e.Message.Contains(Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Login_NotAForm_Returns400WithTheForm()
    {
        using var response = await SendAsync(HttpMethod.Post, "/_cluster/dashboard/login", content: new StringContent("{\"token\":\"" + Token + "\"}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("form id=\"login\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Fact]
    public async Task Login_RightToken_SetsASessionCookieThatOpensThePageSnapshotAndEvents()
    {
        // Act: the form's post.
        using var login = await PostLoginAsync(Token);

        // Assert: 303 to the page, and a strict cookie that is not the token.
        Assert.Equal(HttpStatusCode.SeeOther, login.StatusCode);
        Assert.Equal("/_cluster/dashboard", login.Headers.Location?.OriginalString);
        DashboardAssertions.HasSecurityHeaders(login);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        var attributes = setCookie.Split(';', StringSplitOptions.TrimEntries);
        Assert.Contains("httponly", attributes, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", attributes, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("path=/_cluster/dashboard", attributes, StringComparer.OrdinalIgnoreCase);
        var cookie = attributes[0];
        Assert.StartsWith(DashboardAuthenticator.CookieName + "=", cookie, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, Uri.UnescapeDataString(cookie), StringComparison.Ordinal);
        Assert.DoesNotContain(Uri.EscapeDataString(Token), cookie, StringComparison.Ordinal);
        Assert.Contains(fixture.Host.Logs.Entries, static e => e.EventId.Id == 5002);

        // The cookie opens the page, the snapshot and the event stream.
        using var page = await SendAsync(HttpMethod.Get, "/_cluster/dashboard", ("Cookie", cookie));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<table id=\"silos\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var snapshot = await SendAsync(HttpMethod.Get, "/_cluster/dashboard/snapshot", ("Cookie", cookie));
        Assert.Equal(HttpStatusCode.OK, snapshot.StatusCode);
        await using var events = await DashboardEventStream.OpenAsync(fixture.Host.Address, ("Cookie", cookie));
        Assert.Equal(HttpStatusCode.OK, events.Response.StatusCode);
        Assert.Equal("text/event-stream", events.Response.Content.Headers.ContentType?.MediaType);
        Assert.True((await events.ReadSnapshotAsync()).Sequence >= 1);
    }

    [Fact]
    public async Task Page_CookieOfAnotherToken_ShowsTheLoginForm()
    {
        // A cookie made with another token (e.g. before the token was rotated) proves nothing.
        var stale = DashboardAuthenticator.CookieName + "=" + DashboardAuthenticator.SessionValue("an-old-token");

        using var page = await SendAsync(HttpMethod.Get, "/_cluster/dashboard", ("Cookie", stale));
        using var snapshot = await SendAsync(HttpMethod.Get, "/_cluster/dashboard/snapshot", ("Cookie", stale));

        Assert.Contains("form id=\"login\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, snapshot.StatusCode);
    }

    private Task<HttpResponseMessage> PostLoginAsync(string token) =>
        SendAsync(HttpMethod.Post, "/_cluster/dashboard/login", content: new FormUrlEncodedContent([new("token", token)]));

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, params (string Name, string Value)[] headers) =>
        SendAsync(method, path, null, headers);

    private Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return Client.SendAsync(request);
    }
}
