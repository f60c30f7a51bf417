namespace Cluster.Generators.Middleware;

/// <summary>
/// Recognises the matcher sources whose path-to-regexp expression is a literal followed by at most one default-pattern
/// parameter — most real matchers — so the gateway can decide them without a regex (<c>MiddlewarePathShape</c>).
/// </summary>
/// <remarks>
/// Only two forms qualify, because only for them is the expression <see cref="PathToRegexp.Compile"/> writes known to
/// be <c>^literal(tail)[\/#\?]?$</c> with a literal that matches itself character for character:
/// <list type="bullet">
/// <item>a pure literal other than the root (<c>/about</c>; <c>/</c> also matches <c>/index</c>);</item>
/// <item>a literal, then <c>/:name</c> with an optional final <c>?</c>, <c>*</c> or <c>+</c> and nothing after it
/// (<c>/api/:path*</c>). The <c>/</c> is the parameter's prefix, so the modifier applies to it too.</item>
/// </list>
/// A literal must hold none of the characters path-to-regexp gives a meaning (<c>: ( ) { } * + ? \</c>); every other
/// character, regex metacharacters included, is escaped into the expression and so matches only itself. Anything
/// else (custom patterns, groups, braces, escapes, a <c>.</c> prefix, two parameters) keeps only the regex.
/// </remarks>
internal static class PathShapeClassifier
{
    // The characters that make path-to-regexp read anything but plain text (')' alone is literal, but rare enough
    // that excluding it keeps the rule simple to state).
    private static readonly char[] s_syntaxCharacters = ":(){}*+?\\".ToCharArray();

    /// <summary>Returns the shape of <paramref name="source"/>, if it has one.</summary>
    /// <param name="source">A matcher source as written, e.g. <c>/api/:path*</c>.</param>
    /// <param name="shape">The shape, when the method returns true.</param>
    public static bool TryClassify(string source, out PathShape shape)
    {
        shape = default;

        // The root compiles to a special expression; an empty or relative source does not compile at all.
        if (source.Length < 2 || source[0] != '/')
        {
            return false;
        }

        var colon = source.IndexOf(':');
        if (colon < 0)
        {
            if (HasSyntax(source))
            {
                return false;
            }

            shape = new PathShape(source, PathShapeTail.None);
            return true;
        }

        // "/:" — a '.' or any other character before the parameter changes the expression. colon >= 1 here.
        if (source[colon - 1] != '/')
        {
            return false;
        }

        var literal = source.Substring(0, colon - 1);
        if (HasSyntax(literal))
        {
            return false;
        }

        var nameEnd = colon + 1;
        while (nameEnd < source.Length && PathToRegexp.IsNameChar(source[nameEnd]))
        {
            nameEnd++;
        }

        // A nameless ':' is an error the compiler reports; more than one modifier character, or anything after it
        // (a pattern, more text, a second parameter), is not a shape.
        if (nameEnd == colon + 1 || source.Length - nameEnd > 1)
        {
            return false;
        }

        PathShapeTail tail;
        if (nameEnd == source.Length)
        {
            tail = PathShapeTail.OneSegment;
        }
        else
        {
            switch (source[nameEnd])
            {
                case '?':
                    tail = PathShapeTail.OptionalSegment;
                    break;
                case '+':
                    tail = PathShapeTail.OneOrMoreSegments;
                    break;
                case '*':
                    tail = PathShapeTail.ZeroOrMoreSegments;
                    break;
                default:
                    return false;
            }
        }

        shape = new PathShape(literal, tail);
        return true;
    }

    private static bool HasSyntax(string text) => text.IndexOfAny(s_syntaxCharacters) >= 0;
}
