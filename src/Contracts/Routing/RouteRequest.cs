using System.Text;
using System.Text.Json;

namespace Cluster.Routing;

/// <summary>
/// The request a handler (and the middleware) sees. Its URL, cookies and query are parsed on first use, so a handler
/// that reads none of them pays nothing for them.
/// </summary>
public sealed class RouteRequest
{
    private readonly string _scheme;
    private readonly string _host;
    private readonly string _queryString;
    private Uri? _url;
    private IReadOnlyDictionary<string, string>? _cookies;
    private IReadOnlyDictionary<string, string[]>? _query;

    /// <summary>Creates a request from its parts, as the runtime receives them.</summary>
    /// <param name="method">The upper-case method.</param>
    /// <param name="scheme"><c>http</c> or <c>https</c>.</param>
    /// <param name="host">The host and optional port, e.g. <c>localhost:5000</c>.</param>
    /// <param name="path">The path, still percent-encoded, starting with <c>/</c>.</param>
    /// <param name="queryString">The raw query including its leading <c>?</c>, or empty.</param>
    /// <param name="headers">The request headers.</param>
    /// <param name="body">The request body, already read.</param>
    public RouteRequest(string method, string scheme, string host, string path, string queryString, RouteHeaders headers, ReadOnlyMemory<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentException.ThrowIfNullOrEmpty(scheme);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(queryString);
        ArgumentNullException.ThrowIfNull(headers);
        Method = method;
        _scheme = scheme;
        _host = host.Length == 0 ? "localhost" : host;
        Path = path;
        _queryString = queryString;
        Headers = headers;
        Body = body;
    }

    /// <summary>Creates a request from an absolute URL, e.g. to unit-test a handler.</summary>
    public static RouteRequest Create(string method, Uri url, IEnumerable<KeyValuePair<string, string>>? headers = null, string? body = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException("The URL must be absolute.", nameof(url));
        }

        return new RouteRequest(
            method.ToUpperInvariant(),
            url.Scheme,
            url.Authority,
            url.AbsolutePath,
            url.Query,
            headers is null ? RouteHeaders.Empty : RouteHeaders.FromPairs(headers),
            body is null ? ReadOnlyMemory<byte>.Empty : Encoding.UTF8.GetBytes(body));
    }

    /// <summary>The upper-case method.</summary>
    public string Method { get; }

    /// <summary>The absolute URL of the request as routed (after a middleware rewrite: the rewritten URL).</summary>
    public Uri Url => _url ??= BuildUrl();

    /// <summary>The URL's path, still percent-encoded.</summary>
    public string Path { get; }

    /// <summary>The raw query string including its leading <c>?</c>, or empty.</summary>
    public string QueryString => _queryString;

    /// <summary>The request headers; the indexer returns <c>null</c> for a missing name (see <see cref="RouteHeaders"/>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The request cookies, values percent-decoded; the first of two cookies with one name wins.</summary>
    public IReadOnlyDictionary<string, string> Cookies => _cookies ??= RequestParsing.ParseCookies(Headers);

    /// <summary>The query parameters, decoded as <c>URLSearchParams</c> does (<c>+</c> is a space).</summary>
    public IReadOnlyDictionary<string, string[]> Query => _query ??= RequestParsing.ParseQuery(_queryString);

    /// <summary>The body bytes.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The body as UTF-8 text.</summary>
    public Task<string> ReadTextAsync() => Task.FromResult(Encoding.UTF8.GetString(Body.Span));

    /// <summary>The body as JSON (System.Text.Json web defaults).</summary>
    /// <exception cref="JsonException">The body is not JSON of that shape (an empty body included).</exception>
    public Task<T?> ReadJsonAsync<T>() => Task.FromResult(JsonSerializer.Deserialize<T>(Body.Span, JsonSerializerOptions.Web));

    private Uri BuildUrl()
    {
        var text = string.Concat(_scheme, "://", _host, Path, _queryString);
        return Uri.TryCreate(text, UriKind.Absolute, out var url)
            ? url
            : new Uri(string.Concat(_scheme, "://localhost", Path, _queryString));
    }
}
