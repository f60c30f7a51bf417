using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace Cluster.Grains.Matching;

/// <summary>
/// A normalised Next.js route pattern (<c>/</c>, <c>/api/users/[id]</c>, <c>/docs/[...slug]</c>,
/// <c>/shop/[[...slug]]</c>) split into segments. Immutable.
/// </summary>
/// <remarks>
/// The route generator validates patterns at build time, but a hand-built manifest reaches the router unchecked, so
/// parsing re-applies the per-pattern rules of Next.js's <c>getSortedRoutes</c> (the error texts keep Next's keywords)
/// plus the normal form the gateway relies on: a leading <c>/</c>, no empty segment, no trailing <c>/</c>.
/// </remarks>
internal sealed class RoutePattern
{
    private RoutePattern(string text, ImmutableArray<RouteSegment> segments, ImmutableArray<string> parameterNames)
    {
        Text = text;
        Segments = segments;
        ParameterNames = parameterNames;
    }

    /// <summary>The pattern as given, e.g. <c>/docs/[...slug]</c>.</summary>
    public string Text { get; }

    /// <summary>The segments, left to right; empty for <c>/</c>.</summary>
    public ImmutableArray<RouteSegment> Segments { get; }

    /// <summary>The param names in route order (empty for a static pattern).</summary>
    public ImmutableArray<string> ParameterNames { get; }

    /// <summary>Whether the pattern has no dynamic segment, so it is served by exact lookup.</summary>
    public bool IsStatic => ParameterNames.IsEmpty;

    /// <summary>Parses a pattern.</summary>
    /// <exception cref="FormatException">The pattern is malformed; the message says why.</exception>
    public static RoutePattern Parse(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        if (!TryParse(pattern, out var result, out var error))
        {
            throw new FormatException(error);
        }

        return result;
    }

    /// <summary>Parses a pattern without throwing.</summary>
    /// <param name="pattern">The pattern text.</param>
    /// <param name="result">The parsed pattern, when valid.</param>
    /// <param name="error">Why the pattern is invalid, naming it, when not.</param>
    public static bool TryParse(
        string? pattern,
        [NotNullWhen(true)] out RoutePattern? result,
        [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (string.IsNullOrEmpty(pattern))
        {
            error = "A route pattern must not be empty.";
            return false;
        }

        if (pattern[0] != '/')
        {
            return Fail(pattern, "it must start with '/'.", out error);
        }

        if (pattern.Length == 1)
        {
            result = new RoutePattern(pattern, [], []);
            error = null;
            return true;
        }

        if (pattern[^1] == '/')
        {
            return Fail(pattern, "it must not end with '/'.", out error);
        }

        var parts = pattern[1..].Split('/');
        var segments = ImmutableArray.CreateBuilder<RouteSegment>(parts.Length);
        var names = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < parts.Length; i++)
        {
            if (!TryParseSegment(parts[i], out var segment, out var reason))
            {
                return Fail(pattern, reason, out error);
            }

            if (segment.IsCatchAll && i != parts.Length - 1)
            {
                return Fail(pattern, "Catch-all must be the last part of the URL.", out error);
            }

            if (segment.IsDynamic)
            {
                foreach (var previous in names)
                {
                    if (string.Equals(previous, segment.Value, StringComparison.Ordinal))
                    {
                        return Fail(
                            pattern,
                            $"You cannot have the same slug name \"{segment.Value}\" repeat within a single dynamic path.",
                            out error);
                    }

                    // Next.js keys its regex groups by the name without non-word characters, so such names collide.
                    if (string.Equals(WordCharsOnly(previous), WordCharsOnly(segment.Value), StringComparison.Ordinal))
                    {
                        return Fail(
                            pattern,
                            $"You cannot have the slug names \"{previous}\" and \"{segment.Value}\" differ only by non-word symbols within a single dynamic path.",
                            out error);
                    }
                }

                names.Add(segment.Value);
            }

            segments.Add(segment);
        }

        result = new RoutePattern(pattern, segments.MoveToImmutable(), names.ToImmutable());
        error = null;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;

    private static bool TryParseSegment(string text, out RouteSegment segment, [NotNullWhen(false)] out string? reason)
    {
        segment = default;
        if (text.Length == 0)
        {
            reason = "it has an empty segment (repeated '/').";
            return false;
        }

        if (text.Length >= 2 && text[0] == '[' && text[^1] == ']')
        {
            return TryParseDynamicSegment(text, out segment, out reason);
        }

        if (text.AsSpan().ContainsAny('[', ']'))
        {
            reason = $"the segment '{text}' has a '[' or ']' outside a complete '[name]', '[...name]' or '[[...name]]'.";
            return false;
        }

        if (text is "." or "..")
        {
            // The request normaliser rejects dot segments, so such a route could never be reached.
            reason = $"the segment '{text}' is a dot segment, which is never routed.";
            return false;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                reason = $"the segment '{text}' contains a control character.";
                return false;
            }
        }

        segment = new RouteSegment(RouteSegmentKind.Static, text);
        reason = null;
        return true;
    }

    private static bool TryParseDynamicSegment(string text, out RouteSegment segment, [NotNullWhen(false)] out string? reason)
    {
        // Same peeling order as Next.js: outer brackets, then an optional pair, then the '...' prefix; whatever
        // brackets remain are "extra brackets".
        segment = default;
        var name = text[1..^1];
        var optional = false;
        if (name.Length >= 2 && name[0] == '[' && name[^1] == ']')
        {
            optional = true;
            name = name[1..^1];
        }

        var catchAll = false;
        if (name.StartsWith("...", StringComparison.Ordinal))
        {
            catchAll = true;
            name = name[3..];
        }

        if (name.StartsWith('[') || name.EndsWith(']') || name.StartsWith(']') || name.EndsWith('['))
        {
            reason = $"Segment names may not start or end with extra brackets ('{name}').";
            return false;
        }

        if (name.StartsWith('.'))
        {
            reason = $"Segment names may not start with erroneous periods ('{name}').";
            return false;
        }

        if (name.Contains('\u2026', StringComparison.Ordinal))
        {
            reason = $"Detected a three-dot character ('\u2026') at ('{name}'). Did you mean ('...')?";
            return false;
        }

        if (optional && !catchAll)
        {
            reason = $"Optional route parameters are not yet supported (\"{text}\").";
            return false;
        }

        if (name.Length == 0)
        {
            reason = $"the segment '{text}' has an empty param name.";
            return false;
        }

        if (name.AsSpan().ContainsAny('[', ']') || name.Any(char.IsControl))
        {
            reason = $"the param name '{name}' contains a bracket or a control character.";
            return false;
        }

        var kind = optional ? RouteSegmentKind.OptionalCatchAll
            : catchAll ? RouteSegmentKind.CatchAll
            : RouteSegmentKind.Param;
        segment = new RouteSegment(kind, name);
        reason = null;
        return true;
    }

    private static string WordCharsOnly(string name) =>
        string.Concat(name.Where(static c => char.IsAsciiLetterOrDigit(c) || c == '_'));

    private static bool Fail(string pattern, string reason, out string error)
    {
        error = $"Invalid route pattern '{pattern}': {reason}";
        return false;
    }
}
