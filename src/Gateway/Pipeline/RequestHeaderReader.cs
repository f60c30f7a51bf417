using System.Collections.Frozen;
using Cluster.Routing;
using Microsoft.Extensions.Primitives;

namespace Cluster.Gateway.Pipeline;

/// <summary>Copies the request's headers into the <see cref="RouteHeaders"/> a route grain receives.</summary>
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

    public static RouteHeaders Read(IHeaderDictionary headers)
    {
        var count = headers.Count;
        if (count == 0)
        {
            return RouteHeaders.Empty;
        }

        var result = new KeyValuePair<string, string>[count];
        var index = 0;
        foreach (var (name, values) in headers)
        {
            if (index == result.Length)
            {
                break;
            }

            result[index++] = new(LowerCase(name), Join(name, values));
        }

        return new RouteHeaders(index == result.Length ? result : result[..index]);
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
