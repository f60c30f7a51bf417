using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cluster.Gateway.Tests.Infrastructure;

namespace Cluster.Gateway.Tests.Http;

/// <summary>The sample app through the real embedded gateway: routes, methods and outcomes.</summary>
[Collection(SampleAppCollection.Name)]
public sealed class SampleAppTests(SampleAppFixture fixture)
{
    private HttpClient Client => fixture.Host.Client;

    [Fact]
    public async Task Get_ProductItem_ReturnsJsonFromTheHandler()
    {
        using var response = await Client.GetAsync("/api/products/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Equal("""{"id":1,"name":"Espresso cup","category":"kitchen","price":9.50}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Get_ProductsWithQuery_FiltersByDecodedQuery()
    {
        using var response = await Client.GetAsync("/api/products?category=pap%65r");

        var products = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([4, 5], products.EnumerateArray().Select(p => p.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task Get_UnknownProduct_Returns404FromNotFound()
    {
        using var response = await Client.GetAsync("/api/products/999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_RouteWithGet_RunsGetWithoutBody()
    {
        using var get = await Client.GetAsync("/api/products/1");
        using var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/products/1"));

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(get.Content.Headers.ContentLength, head.Content.Headers.ContentLength);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
    }

    [Theory]
    [InlineData("/api/cart", "DELETE, GET, HEAD, OPTIONS, POST, PUT")]
    [InlineData("/api/products/1", "GET, HEAD, OPTIONS")]
    [InlineData("/api/cart/items/1", "DELETE, OPTIONS")]
    public async Task Options_WithoutHandler_Returns204WithSortedAllow(string path, string allow)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Options, path));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("PATCH", "/api/cart", "DELETE, GET, HEAD, OPTIONS, POST, PUT")]
    [InlineData("POST", "/api/products/1", "GET, HEAD, OPTIONS")]
    [InlineData("GET", "/api/cart/items/1", "DELETE, OPTIONS")]
    public async Task KnownMethod_NotDefined_Returns405WithAllow(string method, string path, string allow)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("HEADER")]
    [InlineData("PROPFIND")]
    [InlineData("TRACE")]
    public async Task UnknownMethodToken_Returns400(string method)
    {
        using var response = await Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/api/cart"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/nothing-here")]
    [InlineData("/API/products")]
    [InlineData("/api/Products/1")]
    [InlineData("/_lib/Catalog")]
    [InlineData("/api/products/1/extra")]
    public async Task Get_NoRouteMatches_Returns404(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/api/products/", "/api/products")]
    [InlineData("/api/products/?category=bags", "/api/products?category=bags")]
    [InlineData("//api//products", "/api/products")]
    [InlineData("/api//products/?x=1", "/api/products?x=1")]
    [InlineData("/api\\products", "/api/products")]
    public async Task Get_SlashesToNormalise_Returns308ToNormalPathKeepingQuery(string target, string location)
    {
        var response = await RawHttp.SendAsync(fixture.Host.Address, "GET", target);

        Assert.Equal(308, response.Status);
        Assert.Equal(location, response.Headers["location"]);
        Assert.Equal("0;url=" + location, response.Headers["refresh"]);
        Assert.Equal(location, response.Body);
    }

    [Fact]
    public async Task Get_HandlerRedirect_ReturnsItsStatusAndLocation()
    {
        using var response = await Client.GetAsync("/api/legacy");

        Assert.Equal(HttpStatusCode.PermanentRedirect, response.StatusCode);
        Assert.Equal("/api/products", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Get_CatchAll_PassesSegmentsAsArray()
    {
        using var response = await Client.GetAsync("/api/docs/api/products");

        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["api", "products"], page.GetProperty("slug").EnumerateArray().Select(s => s.GetString()));
    }

    [Theory]
    [InlineData("/shop", """{"section":"home","params":{}}""")]
    [InlineData("/shop/kitchen/cups", """{"section":"category","params":{"slug":["kitchen","cups"]}}""")]
    public async Task Get_OptionalCatchAll_OmitsEmptyParam(string path, string expected)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/about", "text/plain; charset=utf-8", "A sample shop")]
    [InlineData("/robots.txt", "text/plain; charset=utf-8", "User-agent: *")]
    [InlineData("/sitemap.xml", "application/xml; charset=utf-8", "<urlset")]
    [InlineData("/", "application/json; charset=utf-8", "\"name\":\"shop\"")]
    public async Task Get_StaticRoutes_ServeTheirContent(string path, string contentType, string fragment)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType!.ToString());
        Assert.Contains(fragment, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cart_FullLifecycle_KeepsStateInTheRouteGrain()
    {
        using var created = await Client.PostAsync("/api/cart", Json(new { productId = 2, quantity = 2 }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var cookie = Assert.Single(created.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("cart=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        var cart = cookie.Split(';')[0];

        using var put = Send(HttpMethod.Put, "/api/cart", cart, Json(new { productId = 4, quantity = 3 }));
        using var updated = await Client.SendAsync(put);
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);

        using var read = await Client.SendAsync(Send(HttpMethod.Get, "/api/cart", cart));
        var body = await read.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2 * 42.00m + 3 * 7.25m, body.GetProperty("total").GetDecimal());

        using var removed = await Client.SendAsync(Send(HttpMethod.Delete, "/api/cart/items/2", cart));
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        using var removedAgain = await Client.SendAsync(Send(HttpMethod.Delete, "/api/cart/items/2", cart));
        Assert.Equal(HttpStatusCode.NotFound, removedAgain.StatusCode);

        using var cleared = await Client.SendAsync(Send(HttpMethod.Delete, "/api/cart", cart));
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        using var empty = await Client.SendAsync(Send(HttpMethod.Get, "/api/cart", cart));
        Assert.Equal(0m, (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("total").GetDecimal());
    }

    [Fact]
    public async Task Post_InvalidJson_HandlerAnswers400()
    {
        using var response = await Client.PostAsync("/api/cart", new StringContent("{not json", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("/_cluster/healthz")]
    [InlineData("/_cluster/readyz")]
    public async Task ClusterEndpoints_Answer200(string path)
    {
        using var response = await Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task ClusterPrefix_UnknownEndpoint_Returns404()
    {
        using var response = await Client.GetAsync("/_cluster/nothing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static StringContent Json(object value) =>
        new(JsonSerializer.Serialize(value), Encoding.UTF8, "application/json");

    private static HttpRequestMessage Send(HttpMethod method, string path, string cookie, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Add("Cookie", cookie);
        return request;
    }
}
