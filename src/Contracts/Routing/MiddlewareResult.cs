namespace Cluster.Routing;

/// <summary>
/// What the middleware returns: <see cref="Next"/>, <see cref="Rewrite"/>, <see cref="Redirect"/> or
/// <see cref="Respond"/>, with headers and cookies added fluently. Immutable: each <c>With…</c> returns a new result.
/// </summary>
public sealed class MiddlewareResult
{
    private static readonly MiddlewareResult s_next = new(MiddlewareResultKind.Next, null, 0, null, [], []);

    private readonly KeyValuePair<string, string>[] _responseHeaders;
    private readonly KeyValuePair<string, string?>[] _requestHeaders;

    private MiddlewareResult(
        MiddlewareResultKind kind,
        string? destination,
        int status,
        RouteResponse? response,
        KeyValuePair<string, string>[] responseHeaders,
        KeyValuePair<string, string?>[] requestHeaders)
    {
        Kind = kind;
        Destination = destination;
        Status = status;
        Response = response;
        _responseHeaders = responseHeaders;
        _requestHeaders = requestHeaders;
    }

    /// <summary>What the middleware decided.</summary>
    public MiddlewareResultKind Kind { get; }

    /// <summary>The rewrite destination or the redirect location; <c>null</c> for the other kinds.</summary>
    public string? Destination { get; }

    /// <summary>The redirect's status; 0 for the other kinds.</summary>
    public int Status { get; }

    /// <summary>The response of <see cref="Respond"/>; <c>null</c> for the other kinds.</summary>
    public RouteResponse? Response { get; }

    /// <summary>Headers added to the final response, in order (cookies as <c>set-cookie</c> entries).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders => _responseHeaders;

    /// <summary>Changes to the request headers the handler sees, in order: a <c>null</c> value removes the header.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>> RequestHeaderChanges => _requestHeaders;

    /// <summary>Continue routing.</summary>
    public static MiddlewareResult Next() => s_next;

    /// <summary>
    /// Route the request as <paramref name="destination"/> — a path such as <c>/b/home?x=1</c> (its query is merged
    /// into the request's) or an absolute URL (the same host is routed; another host is proxied, when the gateway's
    /// configuration allows it). The client's URL does not change and the middleware does not run again.
    /// </summary>
    /// <exception cref="ArgumentException">The destination is neither a path starting with <c>/</c> nor an absolute http(s) URL.</exception>
    public static MiddlewareResult Rewrite(string destination)
    {
        ArgumentException.ThrowIfNullOrEmpty(destination);
        var isPath = destination[0] == '/' && (destination.Length == 1 || destination[1] != '/');
        var isUrl = Uri.TryCreate(destination, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps);
        if (!isPath && !isUrl)
        {
            throw new ArgumentException($"A rewrite destination must be a path starting with '/' or an absolute http(s) URL, not '{destination}'.", nameof(destination));
        }

        return new MiddlewareResult(MiddlewareResultKind.Rewrite, destination, 0, null, [], []);
    }

    /// <summary>Answer with a redirect to <paramref name="location"/>. Default 307.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The status is not 301, 302, 303, 307 or 308.</exception>
    public static MiddlewareResult Redirect(string location, int status = 307)
    {
        ArgumentException.ThrowIfNullOrEmpty(location);
        if (!RouteResponse.IsRedirectStatus(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A redirect status must be 301, 302, 303, 307 or 308.");
        }

        return new MiddlewareResult(MiddlewareResultKind.Redirect, location, status, null, [], []);
    }

    /// <summary>Answer with <paramref name="response"/> as it is; routing stops.</summary>
    public static MiddlewareResult Respond(RouteResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new MiddlewareResult(MiddlewareResultKind.Respond, null, 0, response, [], []);
    }

    /// <summary>Adds a header to the final response, whatever kind of result this is.</summary>
    public MiddlewareResult WithResponseHeader(string name, string value)
    {
        HeaderValidation.Validate(name, value);
        return new MiddlewareResult(Kind, Destination, Status, Response, Append(_responseHeaders, new(name, value)), _requestHeaders);
    }

    /// <summary>Adds a cookie to the final response (its own <c>Set-Cookie</c> header).</summary>
    public MiddlewareResult WithCookie(string name, string value, CookieOptions? options = null)
    {
        var header = CookieOptions.FormatSetCookie(name, value, options);
        return new MiddlewareResult(Kind, Destination, Status, Response, Append(_responseHeaders, new("set-cookie", header)), _requestHeaders);
    }

    /// <summary>Sets a request header the handler sees (replacing any value the client sent).</summary>
    public MiddlewareResult WithRequestHeader(string name, string value)
    {
        HeaderValidation.Validate(name, value);
        return new MiddlewareResult(Kind, Destination, Status, Response, _responseHeaders, Append(_requestHeaders, new(name, value)));
    }

    /// <summary>Removes a request header before the handler sees it.</summary>
    public MiddlewareResult WithoutRequestHeader(string name)
    {
        HeaderValidation.Validate(name, string.Empty);
        return new MiddlewareResult(Kind, Destination, Status, Response, _responseHeaders, Append(_requestHeaders, new(name, null)));
    }

    private static KeyValuePair<string, TValue>[] Append<TValue>(KeyValuePair<string, TValue>[] items, KeyValuePair<string, TValue> item)
    {
        var copy = new KeyValuePair<string, TValue>[items.Length + 1];
        items.CopyTo(copy, 0);
        copy[^1] = item;
        return copy;
    }
}
