using System.Text.RegularExpressions;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Gateway.Middleware;

/// <summary>
/// Decides whether the middleware runs for a request, with Next.js's matcher rules (spec §3.2): no matcher means every
/// request; otherwise the first rule whose path pattern matches the raw path (or, failing that, the percent-decoded
/// path) and whose <c>has</c> conditions all hold and <c>missing</c> conditions all fail.
/// </summary>
/// <remarks>
/// Conditions: <see cref="MatcherConditionType.Header"/> looks at the header's value (names case-insensitive, repeated
/// headers joined by <c>", "</c>); <see cref="MatcherConditionType.Query"/> at the decoded values of the parameter, any
/// of which may match when it is repeated; <see cref="MatcherConditionType.Cookie"/> at the decoded value of the first
/// cookie of that name; <see cref="MatcherConditionType.Host"/> at the request's host without its port. A condition
/// without a value pattern holds when the item is present, whatever its value (an empty one included).
/// <para>
/// Nothing is allocated unless a path, query parameter or cookie holds an escape that has to be decoded: patterns
/// run over spans of the request's own strings. A rule with a <see cref="MiddlewarePathShape"/> (the generator emits
/// one for simple sources such as <c>/api/:path*</c>) is decided by it instead of its regex, with the same answer.
/// </para>
/// </remarks>
internal sealed class MiddlewareMatcherEvaluator
{
    private readonly Rule[] _rules;

    public MiddlewareMatcherEvaluator(IReadOnlyList<MiddlewareMatcher> matchers)
    {
        ArgumentNullException.ThrowIfNull(matchers);
        _rules = new Rule[matchers.Count];
        for (var i = 0; i < _rules.Length; i++)
        {
            var matcher = matchers[i];
            _rules[i] = new Rule(LiteralPrefix(matcher.Source), matcher.Path, matcher.Shape, [.. matcher.Has], [.. matcher.Missing]);
        }
    }

    /// <summary>Whether the middleware runs for every request (it has no matcher).</summary>
    public bool MatchesEverything => _rules.Length == 0;

    /// <summary>Whether the middleware runs for a request.</summary>
    /// <param name="path">The raw, still percent-encoded path.</param>
    /// <param name="queryString">The raw query with its leading <c>?</c>, or empty.</param>
    /// <param name="headers">The request's headers (internal ones already removed).</param>
    /// <param name="host">The request's host, with or without a port.</param>
    public bool ShouldRun(string path, string queryString, RouteHeaders headers, string host)
    {
        if (_rules.Length == 0)
        {
            return true;
        }

        string? decodedPath = null;
        foreach (var rule in _rules)
        {
            if (PathMatches(rule, path, ref decodedPath)
                && AllHold(rule.Has, queryString, headers, host)
                && NoneHolds(rule.Missing, queryString, headers, host))
            {
                return true;
            }
        }

        return false;
    }

    private static bool PathMatches(Rule rule, string path, ref string? decodedPath)
    {
        if (PathMatches(rule, path))
        {
            return true;
        }

        if (!path.Contains('%', StringComparison.Ordinal))
        {
            return false;
        }

        // Decoded once per request, however many rules try it.
        decodedPath ??= Uri.UnescapeDataString(path);
        return PathMatches(rule, decodedPath);
    }

    private static bool PathMatches(Rule rule, string path)
    {
        // A shape decides exactly as the regex would, without the regex engine's fixed cost per call.
        if (rule.Shape is { } shape)
        {
            return shape.IsMatch(path);
        }

        // A rule can only match a path that starts with its literal prefix; checking that first spares the regex
        // engine's fixed cost on every rule that cannot match, which is most of them when an app has many rules.
        return path.StartsWith(rule.Prefix, StringComparison.Ordinal) && rule.Path.IsMatch(path);
    }

    /// <summary>
    /// The text every path matching <paramref name="source"/> starts with: its literal characters up to the first
    /// parameter, group, modifier or escape, without a final <c>/</c> (path-to-regexp makes the slash before an optional
    /// parameter optional too: <c>/about/:path*</c> matches <c>/about</c>).
    /// </summary>
    internal static string LiteralPrefix(string source)
    {
        var end = source.AsSpan().IndexOfAny(":({*+?\\");
        var prefix = end < 0 ? source : source[..end];
        return prefix.EndsWith('/') ? prefix[..^1] : prefix;
    }

    private static bool AllHold(MiddlewareConditionMatcher[] conditions, string queryString, RouteHeaders headers, string host)
    {
        foreach (var condition in conditions)
        {
            if (!Holds(condition, queryString, headers, host))
            {
                return false;
            }
        }

        return true;
    }

    private static bool NoneHolds(MiddlewareConditionMatcher[] conditions, string queryString, RouteHeaders headers, string host)
    {
        foreach (var condition in conditions)
        {
            if (Holds(condition, queryString, headers, host))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Holds(MiddlewareConditionMatcher condition, string queryString, RouteHeaders headers, string host)
    {
        switch (condition.Type)
        {
            case MatcherConditionType.Header:
                return condition.Key is { } name
                    && headers.TryGetValue(name, out var value)
                    && (condition.Value is null || condition.Value.IsMatch(value));
            case MatcherConditionType.Query:
                return condition.Key is { } key && QueryHolds(queryString, key, condition.Value);
            case MatcherConditionType.Cookie:
                return condition.Key is { } cookie
                    && headers.TryGetValue("cookie", out var cookieHeader)
                    && CookieHolds(cookieHeader, cookie, condition.Value);
            case MatcherConditionType.Host:
                var hostName = HostWithoutPort(host);
                return !hostName.IsEmpty && (condition.Value is null || condition.Value.IsMatch(hostName));
            default:
                // A condition type this gateway does not know never holds: a has-rule fails closed.
                return false;
        }
    }

    private static bool QueryHolds(string queryString, string key, Regex? pattern)
    {
        var query = queryString.AsSpan();
        if (!query.IsEmpty && query[0] == '?')
        {
            query = query[1..];
        }

        foreach (var range in query.Split('&'))
        {
            var pair = query[range];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = equals < 0 ? pair : pair[..equals];
            if (!QueryComponentEquals(name, key))
            {
                continue;
            }

            if (pattern is null)
            {
                return true;
            }

            var value = equals < 0 ? ReadOnlySpan<char>.Empty : pair[(equals + 1)..];
            if (NeedsQueryDecoding(value) ? pattern.IsMatch(DecodeQueryComponent(value)) : pattern.IsMatch(value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool QueryComponentEquals(ReadOnlySpan<char> raw, string decoded) =>
        NeedsQueryDecoding(raw) ? string.Equals(DecodeQueryComponent(raw), decoded, StringComparison.Ordinal) : raw.SequenceEqual(decoded);

    private static bool NeedsQueryDecoding(ReadOnlySpan<char> value) => value.ContainsAny('%', '+');

    // As URLSearchParams: '+' is a space, and a malformed escape is kept as it is.
    private static string DecodeQueryComponent(ReadOnlySpan<char> value) => Uri.UnescapeDataString(value.ToString().Replace('+', ' '));

    private static bool CookieHolds(string header, string name, Regex? pattern)
    {
        var cookies = header.AsSpan();
        foreach (var range in cookies.Split(';'))
        {
            var part = cookies[range].Trim(' ');
            var equals = part.IndexOf('=');
            if (equals <= 0 || !part[..equals].Trim(' ').SequenceEqual(name))
            {
                continue;
            }

            // The first cookie of a name wins, as RouteRequest.Cookies decides.
            if (pattern is null)
            {
                return true;
            }

            var value = part[(equals + 1)..].Trim(' ');
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1];
            }

            return value.Contains('%') ? pattern.IsMatch(Uri.UnescapeDataString(value.ToString())) : pattern.IsMatch(value);
        }

        return false;
    }

    /// <summary>The host without its port: <c>example.com:8080</c> → <c>example.com</c>, <c>[::1]:80</c> → <c>[::1]</c>.</summary>
    internal static ReadOnlySpan<char> HostWithoutPort(string host)
    {
        var span = host.AsSpan();
        if (span.StartsWith('['))
        {
            var close = span.IndexOf(']');
            return close < 0 ? span : span[..(close + 1)];
        }

        var colon = span.LastIndexOf(':');
        return colon < 0 ? span : span[..colon];
    }

    private sealed record Rule(
        string Prefix,
        Regex Path,
        MiddlewarePathShape? Shape,
        MiddlewareConditionMatcher[] Has,
        MiddlewareConditionMatcher[] Missing);
}
