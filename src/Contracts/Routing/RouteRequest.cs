using System.Text;
using System.Text.Json;

namespace Cluster.Routing;

/// <summary>
/// The request a handler (and the middleware) sees. Its URL, cookies and query are parsed on first use, so a handler
/// that reads none of them pays nothing for them. When the route cache renders a response it stores for every client,
/// the handler gets a request without the client's data instead (see <c>RouteConfig.Dynamic</c>).
/// </summary>
public sealed class RouteRequest
{
    private readonly string _scheme;
    private readonly string _host;
    private readonly string _queryString;
    private readonly RouteHeaders _headers;
    private readonly RouteRequestMode _mode;

    // The route's pattern, for the message of a static render's bail-out; null for a live request.
    private readonly string? _route;
    private Uri? _url;
    private IReadOnlyDictionary<string, string>? _cookies;
    private IReadOnlyDictionary<string, string[]>? _query;
    private string? _requestDataRead;

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
        _headers = headers;
        Body = body;
    }

    private RouteRequest(RouteRequestMode mode, string route, string path)
        : this("GET", "http", "localhost", path, string.Empty, RouteHeaders.Empty, ReadOnlyMemory<byte>.Empty)
    {
        _mode = mode;
        _route = route;
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

    /// <summary>
    /// The request a route cache's render of <paramref name="path"/> gets: a GET of <c>http://localhost</c> plus the path,
    /// with no headers, cookies, query or body, whose request-data accessors behave as <paramref name="mode"/> says.
    /// </summary>
    /// <param name="mode">Any mode but <see cref="RouteRequestMode.Live"/>.</param>
    /// <param name="route">The route's pattern, named by a bail-out's message.</param>
    /// <param name="path">The path being rendered, percent-encoded, starting with <c>/</c>.</param>
    internal static RouteRequest ForStaticRender(RouteRequestMode mode, string route, string path)
    {
        if (mode is RouteRequestMode.Live || !Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "A static render hides the request data: use Hidden, Forbidden or Tracked.");
        }

        ArgumentException.ThrowIfNullOrEmpty(route);
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path[0] != '/')
        {
            throw new ArgumentException($"The path '{path}' does not start with '/'.", nameof(path));
        }

        return new RouteRequest(mode, route, path);
    }

    /// <summary>
    /// What the handler read of the hidden request data during a static render (e.g. <c>request.Headers</c>; the first
    /// read wins), or <c>null</c> when it read none. Recorded in <see cref="RouteRequestMode.Tracked"/> and
    /// <see cref="RouteRequestMode.Forbidden"/> mode (the latter also when the handler caught the bail-out).
    /// </summary>
    internal string? RequestDataRead => Volatile.Read(ref _requestDataRead);

    /// <summary>The upper-case method.</summary>
    public string Method { get; }

    /// <summary>The absolute URL of the request as routed (after a middleware rewrite: the rewritten URL).</summary>
    public Uri Url => _url ??= BuildUrl();

    /// <summary>The URL's path, still percent-encoded.</summary>
    public string Path { get; }

    /// <summary>The raw query string including its leading <c>?</c>, or empty.</summary>
    /// <exception cref="StaticGenerationBailoutException">Read while a route with <c>Dynamic = Error</c> renders its cached response.</exception>
    public string QueryString
    {
        get
        {
            if (_mode != RouteRequestMode.Live)
            {
                OnRequestDataRead("request.QueryString");
            }

            return _queryString;
        }
    }

    /// <summary>The request headers; the indexer returns <c>null</c> for a missing name (see <see cref="RouteHeaders"/>).</summary>
    /// <exception cref="StaticGenerationBailoutException">Read while a route with <c>Dynamic = Error</c> renders its cached response.</exception>
    public IReadOnlyDictionary<string, string> Headers
    {
        get
        {
            if (_mode != RouteRequestMode.Live)
            {
                OnRequestDataRead("request.Headers");
            }

            return _headers;
        }
    }

    /// <summary>The request cookies, values percent-decoded; the first of two cookies with one name wins.</summary>
    /// <exception cref="StaticGenerationBailoutException">Read while a route with <c>Dynamic = Error</c> renders its cached response.</exception>
    public IReadOnlyDictionary<string, string> Cookies
    {
        get
        {
            if (_mode != RouteRequestMode.Live)
            {
                OnRequestDataRead("request.Cookies");
            }

            return _cookies ??= RequestParsing.ParseCookies(_headers);
        }
    }

    /// <summary>The query parameters, decoded as <c>URLSearchParams</c> does (<c>+</c> is a space).</summary>
    /// <exception cref="StaticGenerationBailoutException">Read while a route with <c>Dynamic = Error</c> renders its cached response.</exception>
    public IReadOnlyDictionary<string, string[]> Query
    {
        get
        {
            if (_mode != RouteRequestMode.Live)
            {
                OnRequestDataRead("request.Query");
            }

            return _query ??= RequestParsing.ParseQuery(_queryString);
        }
    }

    /// <summary>The body bytes.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>The body as UTF-8 text.</summary>
    public Task<string> ReadTextAsync() => Task.FromResult(Encoding.UTF8.GetString(Body.Span));

    /// <summary>The body as JSON (System.Text.Json web defaults).</summary>
    /// <exception cref="JsonException">The body is not JSON of that shape (an empty body included).</exception>
    public Task<T?> ReadJsonAsync<T>() => Task.FromResult(JsonSerializer.Deserialize<T>(Body.Span, JsonSerializerOptions.Web));

    // Off the live path: an ordinary request pays one comparison per accessor.
    private void OnRequestDataRead(string expression)
    {
        if (_mode == RouteRequestMode.Hidden)
        {
            return;
        }

        Interlocked.CompareExchange(ref _requestDataRead, expression, null);
        if (_mode == RouteRequestMode.Forbidden)
        {
            throw StaticGenerationBailoutException.Create(_route!, expression);
        }
    }

    private Uri BuildUrl()
    {
        var text = string.Concat(_scheme, "://", _host, Path, _queryString);
        return Uri.TryCreate(text, UriKind.Absolute, out var url)
            ? url
            : new Uri(string.Concat(_scheme, "://localhost", Path, _queryString));
    }
}
