using System.Text;
using System.Text.Json;

namespace Cluster.Routing;

/// <summary>
/// What a route handler returns: a status, headers and a buffered body. Immutable: <see cref="WithHeader"/> and
/// <see cref="WithCookie"/> return a new response, so a response kept in a static field can be shared safely.
/// </summary>
public sealed class RouteResponse
{
    /// <summary>The content type of <see cref="Json"/> responses.</summary>
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>The default content type of <see cref="Text"/> responses.</summary>
    public const string TextContentType = "text/plain; charset=utf-8";

    private static readonly KeyValuePair<string, string>[] s_noHeaders = [];

    private RouteResponse(int status, string? contentType, KeyValuePair<string, string>[] headers, ReadOnlyMemory<byte> body)
    {
        Status = status;
        ContentType = contentType;
        Headers = headers;
        Body = body;
    }

    /// <summary>The HTTP status code.</summary>
    public int Status { get; }

    /// <summary>The <c>Content-Type</c> of the body, or <c>null</c> when there is none.</summary>
    public string? ContentType { get; }

    /// <summary>Headers in the order they were added; <c>Set-Cookie</c> appears once per cookie.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The body bytes.</summary>
    public ReadOnlyMemory<byte> Body { get; }

    /// <summary>A JSON response (System.Text.Json web defaults, <c>application/json; charset=utf-8</c>).</summary>
    public static RouteResponse Json(object? value, int status = 200)
    {
        ValidateStatus(status);
        var body = value is null
            ? "null"u8.ToArray()
            : JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), JsonSerializerOptions.Web);
        return new RouteResponse(status, JsonContentType, s_noHeaders, body);
    }

    /// <summary>A text response, UTF-8 encoded.</summary>
    public static RouteResponse Text(string text, int status = 200, string contentType = TextContentType)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        ValidateStatus(status);
        return new RouteResponse(status, contentType, s_noHeaders, Encoding.UTF8.GetBytes(text));
    }

    /// <summary>A response with the given bytes as its body.</summary>
    public static RouteResponse Bytes(ReadOnlyMemory<byte> body, string contentType, int status = 200)
    {
        ArgumentException.ThrowIfNullOrEmpty(contentType);
        ValidateStatus(status);
        return new RouteResponse(status, contentType, s_noHeaders, body);
    }

    /// <summary>A response with no body. Default 204.</summary>
    public static RouteResponse Empty(int status = 204)
    {
        ValidateStatus(status);
        return new RouteResponse(status, null, s_noHeaders, ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>404 with an empty body (Next.js's <c>notFound()</c>).</summary>
    public static RouteResponse NotFound() => new(404, null, s_noHeaders, ReadOnlyMemory<byte>.Empty);

    /// <summary>A redirect with a <c>Location</c> header and an empty body. Default 307.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The status is not 301, 302, 303, 307 or 308.</exception>
    public static RouteResponse Redirect(string location, int status = 307)
    {
        ArgumentNullException.ThrowIfNull(location);
        if (!IsRedirectStatus(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A redirect status must be 301, 302, 303, 307 or 308.");
        }

        return new RouteResponse(status, null, [new("location", location)], ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>
    /// Rebuilds a response from the parts of one that was built elsewhere, e.g. read back from the cluster protocol.
    /// Nothing is copied and only the status is checked: the parts must come from a <see cref="RouteResponse"/>, which
    /// validated them when it was built. App code uses the other factories.
    /// </summary>
    /// <param name="status">The <see cref="Status"/>, 100–599.</param>
    /// <param name="contentType">The <see cref="ContentType"/>, or <c>null</c>.</param>
    /// <param name="headers">The <see cref="Headers"/> in order; the response keeps this array, so the caller must not change it.</param>
    /// <param name="body">The <see cref="Body"/>; the response keeps this memory, so the caller must not change it.</param>
    /// <exception cref="ArgumentOutOfRangeException">The status is not between 100 and 599.</exception>
    public static RouteResponse FromTrustedParts(int status, string? contentType, KeyValuePair<string, string>[] headers, ReadOnlyMemory<byte> body)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ValidateStatus(status);
        return new RouteResponse(status, contentType, headers.Length == 0 ? s_noHeaders : headers, body);
    }

    /// <summary>Whether a status code is one a redirect may use: 301, 302, 303, 307 or 308.</summary>
    public static bool IsRedirectStatus(int status) => status is 301 or 302 or 303 or 307 or 308;

    /// <summary>A copy of this response with one more header. A <c>Content-Type</c> header replaces the body's type.</summary>
    /// <exception cref="ArgumentException">The name is empty or the name or value holds a CR, LF or NUL.</exception>
    public RouteResponse WithHeader(string name, string value)
    {
        HeaderValidation.Validate(name, value);
        if (string.Equals(name, "content-type", StringComparison.OrdinalIgnoreCase))
        {
            return new RouteResponse(Status, value, (KeyValuePair<string, string>[])Headers, Body);
        }

        return new RouteResponse(Status, ContentType, Append((KeyValuePair<string, string>[])Headers, new(name, value)), Body);
    }

    /// <summary>A copy of this response that also sets a cookie (its own <c>Set-Cookie</c> header).</summary>
    public RouteResponse WithCookie(string name, string value, CookieOptions? options = null)
    {
        var header = CookieOptions.FormatSetCookie(name, value, options);
        return new RouteResponse(Status, ContentType, Append((KeyValuePair<string, string>[])Headers, new("set-cookie", header)), Body);
    }

    /// <summary>A copy of this response with another status code (used by the runtime, e.g. for HEAD).</summary>
    public RouteResponse WithStatus(int status)
    {
        ValidateStatus(status);
        return new RouteResponse(status, ContentType, (KeyValuePair<string, string>[])Headers, Body);
    }

    private static KeyValuePair<string, string>[] Append(KeyValuePair<string, string>[] headers, KeyValuePair<string, string> header)
    {
        var copy = new KeyValuePair<string, string>[headers.Length + 1];
        headers.CopyTo(copy, 0);
        copy[^1] = header;
        return copy;
    }

    private static void ValidateStatus(int status)
    {
        if (status is < 100 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "An HTTP status code must be between 100 and 599.");
        }
    }
}
