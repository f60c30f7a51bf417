using System.Collections.Frozen;
using Cluster.Gateway.Middleware;
using Cluster.Routing;
using Microsoft.Extensions.Primitives;

namespace Cluster.Gateway.Pipeline;

/// <summary>
/// Copies the request's headers into the <see cref="RouteHeaders"/> a route grain (and the middleware) receives, and in
/// the same pass strips the internal headers a client must not send (<see cref="InternalRequestHeaders"/>) from both.
/// </summary>
internal static class RequestHeaderReader
{
    // Handlers see lower-case names, as with the Fetch API's Headers. Kestrel hands us the well-known names in their
    // canonical casing, so the lower-case forms of those are cached instead of allocated per request.
    private static readonly FrozenDictionary<string, string> s_lowerCaseNames = new[]
    {
        "Accept", "Accept-Charset", "Accept-Encoding", "Accept-Language", "Authorization", "Cache-Control",
        "Connection", "Content-Length", "Content-Type", "Cookie", "Host", "If-Match", "If-Modified-Since",
        "If-None-Match", "Origin", "Pragma", "Referer", "User-Agent", "Upgrade-Insecure-Requests", "Via",
        "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "Traceparent", "Tracestate",
    }.ToFrozenDictionary(name => name, name => name.ToLowerInvariant(), StringComparer.Ordinal);

    public static RouteHeaders Read(IHeaderDictionary headers) => Read(headers, out _);

    /// <summary>
    /// Reads the headers, leaving out internal ones and removing them from <paramref name="headers"/> too, so nothing
    /// that reads the request later sees them. One pass; nothing extra is allocated unless an internal header is present.
    /// </summary>
    /// <param name="headers">The request's headers.</param>
    /// <param name="removed">How many internal headers were removed.</param>
    public static RouteHeaders Read(IHeaderDictionary headers, out int removed)
    {
        removed = 0;
        var count = headers.Count;
        if (count == 0)
        {
            return RouteHeaders.Empty;
        }

        var result = new KeyValuePair<string, string>[count];
        var index = 0;
        List<string>? internalNames = null;
        foreach (var (name, values) in headers)
        {
            if (InternalRequestHeaders.IsInternal(name))
            {
                (internalNames ??= []).Add(name);
                continue;
            }

            if (index == result.Length)
            {
                break;
            }

            result[index++] = new(LowerCase(name), Join(name, values));
        }

        if (internalNames is not null)
        {
            // Removed after the loop: the dictionary must not change while it is enumerated.
            foreach (var name in internalNames)
            {
                headers.Remove(name);
            }

            removed = internalNames.Count;
        }

        return index == 0 ? RouteHeaders.Empty : new RouteHeaders(index == result.Length ? result : result[..index]);
    }

    private static string LowerCase(string name)
    {
        if (s_lowerCaseNames.TryGetValue(name, out var lower))
        {
            return lower;
        }

        foreach (var c in name)
        {
            if (char.IsAsciiLetterUpper(c))
            {
                return name.ToLowerInvariant();
            }
        }

        return name;
    }

    private static string Join(string name, StringValues values) => values.Count switch
    {
        0 => string.Empty,
        1 => values[0] ?? string.Empty,
        _ => string.Join(string.Equals(name, "Cookie", StringComparison.OrdinalIgnoreCase) ? "; " : ", ", values.ToArray()),
    };
}
