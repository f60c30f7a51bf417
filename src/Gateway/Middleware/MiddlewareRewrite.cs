using System.Globalization;
using System.Text;
using Cluster.Gateway.Pipeline;

namespace Cluster.Gateway.Middleware;

/// <summary>Resolves a rewrite destination and merges its query into the request's (spec §3.3, item 3).</summary>
internal static class MiddlewareRewrite
{
    /// <summary>
    /// Splits <paramref name="destination"/> into its raw path and query and says whether it stays on this host. A
    /// path (<c>/x?y=1</c>) does; an absolute URL does when its authority equals <paramref name="requestHost"/> (the
    /// request's <c>Host</c>, case-insensitively; a default port may be left out on either side). A fragment is dropped.
    /// </summary>
    /// <param name="destination">The middleware's destination.</param>
    /// <param name="requestHost">The request's host and optional port.</param>
    /// <param name="path">The destination's raw path, still percent-encoded (<c>/</c> for a bare origin).</param>
    /// <param name="query">The destination's raw query with its <c>?</c>, or empty.</param>
    /// <param name="url">For <see cref="RewriteDestinationKind.OtherHost"/>, the parsed destination.</param>
    public static RewriteDestinationKind Resolve(string destination, string requestHost, out string path, out string query, out Uri? url)
    {
        path = query = string.Empty;
        url = null;
        if (string.IsNullOrEmpty(destination))
        {
            return RewriteDestinationKind.Invalid;
        }

        var fragment = destination.IndexOf('#', StringComparison.Ordinal);
        var target = fragment < 0 ? destination : destination[..fragment];
        if (target.StartsWith('/'))
        {
            // "//host/x" is a scheme-relative URL, not a path: refuse it rather than guess a scheme.
            if (target.Length > 1 && target[1] is '/' or '\\')
            {
                return RewriteDestinationKind.Invalid;
            }

            return RequestTarget.TrySplit(target, out path, out query) ? RewriteDestinationKind.SameHost : RewriteDestinationKind.Invalid;
        }

        if (!Uri.TryCreate(target, UriKind.Absolute, out var parsed)
            || (parsed.Scheme != Uri.UriSchemeHttp && parsed.Scheme != Uri.UriSchemeHttps)
            || !RequestTarget.TrySplit(target, out path, out query))
        {
            return RewriteDestinationKind.Invalid;
        }

        if (IsSameHost(parsed, requestHost))
        {
            return RewriteDestinationKind.SameHost;
        }

        url = parsed;
        return RewriteDestinationKind.OtherHost;
    }

    /// <summary>
    /// The request's query merged with the destination's, as Next.js merges them: every parameter of the request
    /// whose name the destination does not set, in its order, then the destination's parameters. Pairs are kept
    /// exactly as sent (still encoded); names compare after decoding.
    /// </summary>
    /// <example><c>?a=1&amp;b=2</c> merged with <c>?b=3&amp;c=4</c> is <c>?a=1&amp;b=3&amp;c=4</c>.</example>
    public static string MergeQuery(string requestQuery, string destinationQuery)
    {
        var destination = TrimQuestionMark(destinationQuery);
        var request = TrimQuestionMark(requestQuery);
        if (destination.IsEmpty)
        {
            return requestQuery;
        }

        if (request.IsEmpty)
        {
            return destinationQuery.StartsWith('?') ? destinationQuery : "?" + destinationQuery;
        }

        var destinationNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var range in destination.Split('&'))
        {
            if (!destination[range].IsEmpty)
            {
                destinationNames.Add(NameOf(destination[range]));
            }
        }

        var merged = new StringBuilder(requestQuery.Length + destinationQuery.Length + 1).Append('?');
        foreach (var range in request.Split('&'))
        {
            var pair = request[range];
            if (!pair.IsEmpty && !destinationNames.Contains(NameOf(pair)))
            {
                merged.Append(pair).Append('&');
            }
        }

        return merged.Append(destination).ToString();
    }

    private static bool IsSameHost(Uri url, string requestHost)
    {
        if (string.Equals(url.Authority, requestHost, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // "http://example.com/x" against a request for "example.com:80": the same origin written two ways (Uri leaves
        // a default port out of its authority).
        var hostOnly = MiddlewareMatcherEvaluator.HostWithoutPort(requestHost);
        return hostOnly.Length < requestHost.Length
            && url.IsDefaultPort
            && hostOnly.Equals(url.Host, StringComparison.OrdinalIgnoreCase)
            && requestHost.AsSpan(hostOnly.Length + 1).SequenceEqual(url.Port.ToString(CultureInfo.InvariantCulture));
    }

    private static ReadOnlySpan<char> TrimQuestionMark(string query) =>
        query.StartsWith('?') ? query.AsSpan(1) : query.AsSpan();

    private static string NameOf(ReadOnlySpan<char> pair)
    {
        var equals = pair.IndexOf('=');
        var name = equals < 0 ? pair : pair[..equals];
        return name.ContainsAny('%', '+') ? Uri.UnescapeDataString(name.ToString().Replace('+', ' ')) : name.ToString();
    }
}
