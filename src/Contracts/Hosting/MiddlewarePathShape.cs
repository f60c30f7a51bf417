using System.Buffers;

namespace Cluster.Routing.Hosting;

/// <summary>
/// A matcher path simple enough to need no regular expression: a literal, then a <see cref="MiddlewarePathTail"/>.
/// The route generator emits one for the sources it recognises (<c>/about</c>, <c>/api/:path*</c>, <c>/blog/:slug?</c>
/// ...), and <see cref="IsMatch"/> answers exactly as the rule's <see cref="MiddlewareMatcher.Path"/> expression does
/// for every string, without the regex engine's fixed cost per call.
/// </summary>
/// <remarks>
/// The expression it stands for is <c>^literal(tail)[\/#\?]?$</c>: the literal compared ordinally (case-sensitive),
/// the tail's <c>/segment</c>s, then path-to-regexp's non-strict end — one trailing <c>/</c>, <c>#</c> or <c>?</c>
/// may follow. The last two matter for a percent-decoded path, which can hold them (from <c>%23</c> and <c>%3F</c>).
/// </remarks>
public sealed class MiddlewarePathShape
{
    // A segment ends at any of these; the non-strict end accepts one of them after the tail.
    private static readonly SearchValues<char> s_delimiters = SearchValues.Create("/#?");

    /// <summary>Creates a shape.</summary>
    /// <param name="literal">The text every matching path starts with, e.g. <c>/api</c>; empty for <c>/:path*</c>.</param>
    /// <param name="tail">What may follow the literal.</param>
    /// <exception cref="ArgumentNullException"><paramref name="literal"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tail"/> is not a defined value.</exception>
    public MiddlewarePathShape(string literal, MiddlewarePathTail tail)
    {
        ArgumentNullException.ThrowIfNull(literal);
        if (!Enum.IsDefined(tail))
        {
            throw new ArgumentOutOfRangeException(nameof(tail), tail, "Unknown middleware path tail.");
        }

        Literal = literal;
        Tail = tail;
    }

    /// <summary>The text every matching path starts with (ordinal, case-sensitive).</summary>
    public string Literal { get; }

    /// <summary>What may follow <see cref="Literal"/>.</summary>
    public MiddlewarePathTail Tail { get; }

    /// <summary>Whether <paramref name="path"/> matches, exactly as the rule's regular expression would decide.</summary>
    /// <param name="path">A raw or percent-decoded request path.</param>
    public bool IsMatch(ReadOnlySpan<char> path) =>
        // Without RegexOptions.Multiline, '$' also matches just before a final '\n', so the expression accepts one
        // '\n' more than its body does (a decoded path can end with one, from %0A).
        MatchesWhole(path) || (!path.IsEmpty && path[^1] == '\n' && MatchesWhole(path[..^1]));

    /// <inheritdoc/>
    public override string ToString() => Literal + " + " + Tail;

    // The expression's body and non-strict end against the whole of path.
    private bool MatchesWhole(ReadOnlySpan<char> path)
    {
        if (!path.StartsWith(Literal, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = path[Literal.Length..];

        // A tail never ends with a delimiter (a segment holds none), so a final one can only be the optional end.
        if (!rest.IsEmpty && s_delimiters.Contains(rest[^1]))
        {
            rest = rest[..^1];
        }

        var segments = CountSegments(rest);
        return Tail switch
        {
            MiddlewarePathTail.None => segments == 0,
            MiddlewarePathTail.OneSegment => segments == 1,
            MiddlewarePathTail.OptionalSegment => segments is 0 or 1,
            MiddlewarePathTail.OneOrMoreSegments => segments >= 1,
            MiddlewarePathTail.ZeroOrMoreSegments => segments >= 0,
            _ => false,
        };
    }

    // How many "/segment"s text is made of, or -1 if it is not made of them (an empty segment, a '#' or '?', or text
    // before the first '/').
    private static int CountSegments(ReadOnlySpan<char> text)
    {
        var count = 0;
        while (!text.IsEmpty)
        {
            if (text[0] != '/')
            {
                return -1;
            }

            text = text[1..];
            var end = text.IndexOfAny(s_delimiters);
            var length = end < 0 ? text.Length : end;
            if (length == 0)
            {
                return -1;
            }

            count++;
            if (end < 0)
            {
                return count;
            }

            if (text[end] != '/')
            {
                return -1;
            }

            text = text[end..];
        }

        return count;
    }
}
