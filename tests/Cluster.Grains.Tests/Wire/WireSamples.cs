using System.Buffers;
using System.Text;
using Cluster.Routing;
using Cluster.Routing.Wire;
using Cluster.Runtime.Serialization;

namespace Cluster.Grains.Tests.Wire;

/// <summary>Route invocations and responses of many shapes, and exact comparisons of them.</summary>
internal static class WireSamples
{
    public static readonly KeyValuePair<string, string>[] TypicalRequestHeaders =
    [
        new("host", "shop.example"),
        new("user-agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"),
        new("accept", "application/json"),
        new("accept-encoding", "gzip, deflate, br"),
        new("accept-language", "en-GB,en;q=0.9"),
        new("cookie", "session=3f2a9c; theme=dark"),
        new("x-forwarded-for", "203.0.113.7"),
        new("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
    ];

    public static readonly Dictionary<string, Func<RouteInvocation>> Invocations = new(StringComparer.Ordinal)
    {
        ["minimal"] = () => Invocation("/", RouteMethod.Get, "GET", "/", string.Empty, RouteHeaders.Empty, RouteParams.Empty),
        ["typical-get"] = TypicalGet,
        ["automatic-head"] = () => Invocation("/about", RouteMethod.Get, "HEAD", "/about", string.Empty, RouteHeaders.Empty, RouteParams.Empty),
        ["repeated-header-names"] = () => Invocation(
            "/h",
            RouteMethod.Get,
            "GET",
            "/h",
            "?a=1&a=2",
            new RouteHeaders([new("x-a", "1"), new("X-A", "2"), new("accept", "*/*"), new("x-a", "3")]),
            RouteParams.Empty),
        ["catch-all"] = () => Invocation(
            "/docs/[version]/[...slug]",
            RouteMethod.Get,
            "GET",
            "/docs/v2/a/b%20c/%C3%BC",
            string.Empty,
            RouteHeaders.Empty,
            RouteParams.Of(("version", "v2"), ("slug", new[] { "a", "b c", "ü" }))),
        ["empty-catch-all-array"] = () => Invocation(
            "/shop/[[...filters]]",
            RouteMethod.Get,
            "GET",
            "/shop",
            string.Empty,
            RouteHeaders.Empty,
            RouteParams.Of(("filters", Array.Empty<string>()))),
        ["optional-catch-all-absent"] = () => Invocation("/shop/[[...filters]]", RouteMethod.Get, "GET", "/shop", string.Empty, RouteHeaders.Empty, RouteParams.Empty),
        ["non-ascii"] = () => new RouteInvocation
        {
            Pattern = "/bücher/[titel]",
            Handler = RouteMethod.Get,
            Method = "GET",
            Scheme = "https",
            Host = "bücher.example:8443",
            Path = "/b%C3%BCcher/%E6%97%A5%E6%9C%AC",
            QueryString = "?q=日本&e=\U0001F600",
            Headers = new RouteHeaders([new("x-name", "Zoë \u00E9 e\u0301"), new("x-emoji", "\U0001F600\U0001F680"), new("x-cjk", "日本語")]),
            Params = RouteParams.Of(("titel", "日本 \U0001F600 e\u0301")),
            Body = Encoding.UTF8.GetBytes("{\"name\":\"Zoë\"}"),
        },
        ["post-binary-body"] = () => Invocation(
            "/api/upload",
            RouteMethod.Post,
            "POST",
            "/api/upload",
            string.Empty,
            new RouteHeaders([new("content-type", "application/octet-stream"), new("content-length", "512")]),
            RouteParams.Empty,
            Enumerable.Range(0, 512).Select(i => (byte)i).ToArray()),
        ["every-method-put"] = () => Invocation("/x", RouteMethod.Put, "PUT", "/x", string.Empty, RouteHeaders.Empty, RouteParams.Empty, new byte[] { 0 }),
        ["every-method-patch"] = () => Invocation("/x", RouteMethod.Patch, "PATCH", "/x", string.Empty, RouteHeaders.Empty, RouteParams.Empty),
        ["every-method-delete"] = () => Invocation("/x", RouteMethod.Delete, "DELETE", "/x", string.Empty, RouteHeaders.Empty, RouteParams.Empty),
        ["every-method-options"] = () => Invocation("/x", RouteMethod.Options, "OPTIONS", "/x", string.Empty, RouteHeaders.Empty, RouteParams.Empty),
        ["every-method-head"] = () => Invocation("/x", RouteMethod.Head, "HEAD", "/x", string.Empty, RouteHeaders.Empty, RouteParams.Empty),
        ["empty-strings"] = () => new RouteInvocation
        {
            Pattern = string.Empty,
            Handler = RouteMethod.Get,
            Method = string.Empty,
            Scheme = string.Empty,
            Host = string.Empty,
            Path = string.Empty,
            QueryString = string.Empty,
            Headers = new RouteHeaders([new(string.Empty, string.Empty), new("x-empty", string.Empty)]),
            Params = RouteParams.FromTrustedArrays(["", "s"], [string.Empty, new[] { string.Empty, string.Empty }]),
        },
        ["long-strings"] = () => Invocation(
            "/long/[id]",
            RouteMethod.Get,
            "GET",
            "/long/" + new string('p', 10_000),
            "?" + new string('q', 200),
            new RouteHeaders([new("x-long", new string('v', 50_000)), new("x-long-utf8", new string('日', 43))]),
            RouteParams.Of(("id", new string('p', 10_000)))),
        ["large-body"] = () => Invocation(
            "/api/upload",
            RouteMethod.Post,
            "POST",
            "/api/upload",
            string.Empty,
            RouteHeaders.Empty,
            RouteParams.Empty,
            Enumerable.Range(0, (1024 * 1024) + 1).Select(i => (byte)(i * 31)).ToArray()),
    };

    public static readonly Dictionary<string, Func<RouteResponse>> Responses = new(StringComparer.Ordinal)
    {
        ["json-64-bytes"] = TypicalJson,
        ["json-null"] = () => RouteResponse.Json(null),
        ["text-non-ascii"] = () => RouteResponse.Text("héllo 日本 \U0001F600", 201),
        ["text-custom-type"] = () => RouteResponse.Text("<p>x</p>", 200, "text/html; charset=utf-8"),
        ["bytes"] = () => RouteResponse.Bytes(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), "application/octet-stream", 206),
        ["empty-204"] = () => RouteResponse.Empty(),
        ["empty-200"] = () => RouteResponse.Empty(200),
        ["not-found"] = RouteResponse.NotFound,
        ["redirect-301"] = () => RouteResponse.Redirect("https://example.com/new?a=1&b=ü", 301),
        ["redirect-302"] = () => RouteResponse.Redirect("/login", 302),
        ["redirect-303"] = () => RouteResponse.Redirect("/done", 303),
        ["redirect-307"] = () => RouteResponse.Redirect("/temp"),
        ["redirect-308"] = () => RouteResponse.Redirect(string.Empty, 308),
        ["cookies-all-options"] = () => RouteResponse.Json(new { ok = true })
            .WithCookie("session", "a b;c=ü", new CookieOptions
            {
                Path = "/app",
                Domain = "example.com",
                Expires = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero),
                MaxAge = TimeSpan.FromHours(1),
                Secure = true,
                HttpOnly = true,
                SameSite = CookieSameSite.Strict,
            })
            .WithCookie("theme", "dark")
            .WithCookie("none", "1", new CookieOptions { Path = null, SameSite = CookieSameSite.None, Secure = true })
            .WithCookie("lax", string.Empty, new CookieOptions { SameSite = CookieSameSite.Lax }),
        ["repeated-headers"] = () => RouteResponse.Text("x")
            .WithHeader("vary", "accept")
            .WithHeader("Vary", "accept-encoding")
            .WithHeader("x-ü", "wert ü")
            .WithHeader("cache-control", "no-store")
            .WithHeader("vary", "cookie"),
        ["content-type-replaced-empty"] = () => RouteResponse.Text("x").WithHeader("content-type", string.Empty),
        ["content-type-added-to-empty"] = () => RouteResponse.Empty(200).WithHeader("content-type", "text/csv"),
        ["status-100"] = () => RouteResponse.Empty(100),
        ["status-599"] = () => RouteResponse.Text("boom").WithStatus(599),
        ["large-body"] = () => RouteResponse.Bytes(Enumerable.Range(0, 2 * 1024 * 1024).Select(i => (byte)(i * 7)).ToArray(), "application/octet-stream"),
    };

    public static RouteInvocation TypicalGet() => Invocation(
        "/api/products/[id]",
        RouteMethod.Get,
        "GET",
        "/api/products/42",
        "?ref=home",
        new RouteHeaders(TypicalRequestHeaders),
        RouteParams.Of(("id", "42")));

    /// <summary>A JSON response whose body is 64 bytes.</summary>
    public static RouteResponse TypicalJson() =>
        RouteResponse.Json(new { id = 42, name = "Widget", price = 19.99, stock = 1, tags = new[] { "new" } });

    public static byte[] Encode<T>(IWireCodec<T> codec, T value)
    {
        var output = new ArrayBufferWriter<byte>();
        codec.Write(value, output);
        return output.WrittenSpan.ToArray();
    }

    public static T Decode<T>(IWireCodec<T> codec, byte[] bytes) => codec.Read(new ReadOnlySequence<byte>(bytes));

    public static void AssertEqual(RouteInvocation expected, RouteInvocation actual)
    {
        Assert.Equal(expected.Pattern, actual.Pattern, StringComparer.Ordinal);
        Assert.Equal(expected.Handler, actual.Handler);
        Assert.Equal(expected.Method, actual.Method, StringComparer.Ordinal);
        Assert.Equal(expected.Scheme, actual.Scheme, StringComparer.Ordinal);
        Assert.Equal(expected.Host, actual.Host, StringComparer.Ordinal);
        Assert.Equal(expected.Path, actual.Path, StringComparer.Ordinal);
        Assert.Equal(expected.QueryString, actual.QueryString, StringComparer.Ordinal);
        AssertEqual(expected.Headers.AsSpan().ToArray(), actual.Headers.AsSpan().ToArray());
        AssertEqual(expected.Params, actual.Params);
        Assert.True(expected.Body.Span.SequenceEqual(actual.Body.Span), "The bodies differ.");
    }

    public static void AssertEqual(RouteResponse expected, RouteResponse actual)
    {
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.ContentType, actual.ContentType, StringComparer.Ordinal);
        AssertEqual(expected.Headers.ToArray(), actual.Headers.ToArray());
        Assert.True(expected.Body.Span.SequenceEqual(actual.Body.Span), "The bodies differ.");
    }

    public static void AssertEqual(RouteParams expected, RouteParams actual)
    {
        Assert.Equal(expected.Names, actual.Names, StringComparer.Ordinal);
        foreach (var name in expected.Names)
        {
            Assert.True(expected.TryGetRaw(name, out var expectedValue));
            Assert.True(actual.TryGetRaw(name, out var actualValue));
            if (expectedValue is string single)
            {
                Assert.Equal(single, Assert.IsType<string>(actualValue), StringComparer.Ordinal);
            }
            else
            {
                Assert.Equal((string[])expectedValue, Assert.IsType<string[]>(actualValue), StringComparer.Ordinal);
            }
        }
    }

    private static void AssertEqual(KeyValuePair<string, string>[] expected, KeyValuePair<string, string>[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Key, actual[i].Key, StringComparer.Ordinal);
            Assert.Equal(expected[i].Value, actual[i].Value, StringComparer.Ordinal);
        }
    }

    private static RouteInvocation Invocation(
        string pattern,
        RouteMethod handler,
        string method,
        string path,
        string queryString,
        RouteHeaders headers,
        RouteParams routeParams,
        byte[]? body = null)
        => new()
        {
            Pattern = pattern,
            Handler = handler,
            Method = method,
            Scheme = "https",
            Host = "shop.example",
            Path = path,
            QueryString = queryString,
            Headers = headers,
            Params = routeParams,
            Body = body ?? ReadOnlyMemory<byte>.Empty,
        };
}
