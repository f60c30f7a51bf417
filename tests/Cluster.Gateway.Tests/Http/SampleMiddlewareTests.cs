using System.Net;
using System.Text.Json;
using Cluster.Gateway.Tests.Infrastructure;

namespace Cluster.Gateway.Tests.Http;

/// <summary>The sample app's middleware through the real gateway, as a person would try it with curl.</summary>
[Collection(SampleAppCollection.Name)]
public sealed class SampleMiddlewareTests(SampleAppFixture fixture)
{
    private HttpClient Client => fixture.Host.Client;

    [Theory]
    [InlineData("/old-shop", "/shop")]
    [InlineData("/old-shop/kitchen/cups", "/shop/kitchen/cups")]
    [InlineData("/old-shop/kitchen?sort=price", "/shop/kitchen?sort=price")]
    public async Task Get_MovedSection_RedirectsPermanently(string path, string location)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal(location, response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/api/products/1", HttpStatusCode.OK)]
    [InlineData("/api/products", HttpStatusCode.OK)]
    [InlineData("/api/nothing-here", HttpStatusCode.NotFound)]
    public async Task Get_ApiPaths_CarryTheMiddlewaresHeader(string path, HttpStatusCode status)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("1", Assert.Single(response.Headers.GetValues("x-api-version")));
    }

    [Theory]
    [InlineData("/about")]
    [InlineData("/shop")]
    [InlineData("/robots.txt")]
    public async Task Get_PathsOutsideTheMatcher_DoNotRunTheMiddleware(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("x-api-version"));
    }

    [Fact]
    public async Task Get_AdminWithoutToken_Returns401FromTheMiddleware()
    {
        using var response = await Client.GetAsync("/api/admin/stats");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"error":"unauthorized"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Get_AdminWithToken_ReachesTheHandler()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/stats");
        request.Headers.Add("Authorization", "Bearer demo-admin-token");

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"products":5}""", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("x-middleware-subrequest", "middleware")]
    [InlineData("x-middleware-subrequest", "middleware:middleware:middleware:middleware:middleware")]
    [InlineData("x-middleware-subrequest", "src/middleware:src/middleware:src/middleware:src/middleware:src/middleware")]
    [InlineData("x-middleware-next", "1")]
    [InlineData("x-middleware-skip", "1")]
    [InlineData("x-middleware-rewrite", "/api/products")]
    public async Task Get_AdminWithBypassHeaders_StillGets401(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/admin/stats");
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Get_DealsForNewVisitor_AssignsAVariantAndRewrites()
    {
        using var response = await Client.GetAsync("/api/deals");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        var variant = cookie.Split(';')[0].Split('=')[1];
        Assert.Contains(variant, new[] { "a", "b" });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(variant, body.GetProperty("variant").GetString());
    }

    [Theory]
    [InlineData("a")]
    [InlineData("b")]
    public async Task Get_DealsForReturningVisitor_KeepsTheirVariant(string variant)
    {
        for (var i = 0; i < 5; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/deals");
            request.Headers.Add("Cookie", "deals-variant=" + variant);

            using var response = await Client.SendAsync(request);

            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(variant, body.GetProperty("variant").GetString());
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }
    }
}
