using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Cluster.Generators.Middleware;

/// <summary>
/// Compiles a middleware matcher source from path-to-regexp (v6, the syntax of Next.js's <c>config.matcher</c>) into
/// a .NET regular expression at build time, the way Next.js's <c>getMiddlewareMatchers</c> does: <c>:name</c> is one
/// segment, <c>:name(re)</c> a custom one, modifiers <c>?</c>, <c>*</c>, <c>+</c> follow a parameter and take its
/// <c>/</c> (or <c>.</c>) prefix into the optional or repeated group, <c>(re)</c> is an unnamed parameter and
/// <c>{...}</c> groups text with a parameter. The expression is anchored and accepts an optional trailing
/// <c>/</c>, <c>#</c> or <c>?</c> (path-to-regexp's non-strict end). It is case-sensitive: Next.js rebuilds the
/// regex from its source without flags.
/// </summary>
internal static class PathToRegexp
{
    /// <summary>
    /// The pattern of a parameter without one of its own: one segment. path-to-regexp writes it lazily (<c>+?</c>);
    /// we write it greedily because the gateway only asks whether the whole path matches, never for the captures, and
    /// laziness never changes whether an anchored expression matches — while .NET's backtracking engine runs the
    /// greedy form about four times faster (it can make a loop over a class that excludes <c>/</c> atomic).
    /// </summary>
    public const string DefaultSegmentPattern = @"[^\/#\?]+";

    // Non-strict end: one trailing delimiter may follow, then the end of the path.
    private const string End = @"[\/#\?]?$";

    // The characters path-to-regexp's escapeString escapes (all literal after a backslash in .NET too).
    private const string MetaCharacters = ".+*?=^!:${}()[]|/\\";

    /// <summary>Compiles a matcher source.</summary>
    /// <param name="source">The source as written, e.g. <c>/api/:path*</c>.</param>
    /// <returns>The anchored expression, or why the source is invalid.</returns>
    public static PathToRegexpResult Compile(string source)
    {
        if (source.Length == 0 || source[0] != '/')
        {
            return PathToRegexpResult.Failure("a matcher source must start with '/'");
        }

        // Next.js appends an optional "index" to the root matcher only, so '/' also runs for '/index'.
        if (source == "/")
        {
            return Validate(@"^\/(?:index)?" + End);
        }

        var error = Tokenize(source, out var tokens);
        if (error is not null)
        {
            return PathToRegexpResult.Failure(error);
        }

        var parser = new PathToRegexpParser(tokens);
        var route = parser.Parse(out error);
        return error is not null ? PathToRegexpResult.Failure(error) : Validate("^" + route + End);
    }

    /// <summary>
    /// Compiles a <c>has</c>/<c>missing</c> value: the whole value must match, as Next.js anchors it. An empty or
    /// absent value means "present with any value" and gives a null pattern.
    /// </summary>
    /// <param name="value">The value regex as written, or null.</param>
    public static PathToRegexpResult CompileConditionValue(string? value) =>
        string.IsNullOrEmpty(value) ? PathToRegexpResult.Success(null) : Validate("^(?:" + value + ")$");

    /// <summary>Escapes literal text the way path-to-regexp's <c>escapeString</c> does.</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (MetaCharacters.IndexOf(c) >= 0)
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// The options the emitted code builds every matcher expression with (ExplicitCapture: the gateway never reads a
    /// capture, and capturing costs time on every request).
    /// </summary>
    public const RegexOptions EmittedOptions = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;

    // Constructing the expression with the options the runtime uses turns a bad user pattern (an invalid group, or a
    // numbered backreference that ExplicitCapture leaves undefined) into a build error instead of a gateway that fails
    // at startup.
    private static PathToRegexpResult Validate(string pattern)
    {
        try
        {
            _ = new Regex(pattern, EmittedOptions);
            return PathToRegexpResult.Success(pattern);
        }
        catch (ArgumentException exception)
        {
            return PathToRegexpResult.Failure("the regular expression '" + pattern + "' is invalid: " + exception.Message);
        }
    }

    // path-to-regexp's lexer: it rejects nameless ':', unbalanced or empty '(...)' and capturing groups inside one.
    private static string? Tokenize(string source, out List<PathToken> tokens)
    {
        tokens = new List<PathToken>(source.Length + 1);
        var i = 0;
        while (i < source.Length)
        {
            var c = source[i];
            switch (c)
            {
                case '*':
                case '+':
                case '?':
                    tokens.Add(new PathToken(PathTokenKind.Modifier, i, c.ToString()));
                    i++;
                    break;
                case '\\':
                    if (i + 1 >= source.Length)
                    {
                        return $"a '\\' at index {Format(i)} escapes nothing";
                    }

                    tokens.Add(new PathToken(PathTokenKind.EscapedChar, i, source[i + 1].ToString()));
                    i += 2;
                    break;
                case '{':
                    tokens.Add(new PathToken(PathTokenKind.Open, i, "{"));
                    i++;
                    break;
                case '}':
                    tokens.Add(new PathToken(PathTokenKind.Close, i, "}"));
                    i++;
                    break;
                case ':':
                    var nameEnd = i + 1;
                    while (nameEnd < source.Length && IsNameChar(source[nameEnd]))
                    {
                        nameEnd++;
                    }

                    if (nameEnd == i + 1)
                    {
                        return $"missing parameter name after ':' at index {Format(i)}";
                    }

                    tokens.Add(new PathToken(PathTokenKind.Name, i, source.Substring(i + 1, nameEnd - i - 1)));
                    i = nameEnd;
                    break;
                case '(':
                    var error = ReadPattern(source, ref i, tokens);
                    if (error is not null)
                    {
                        return error;
                    }

                    break;
                default:
                    tokens.Add(new PathToken(PathTokenKind.Char, i, c.ToString()));
                    i++;
                    break;
            }
        }

        tokens.Add(new PathToken(PathTokenKind.End, i, string.Empty));
        return null;
    }

    private static string? ReadPattern(string source, ref int i, List<PathToken> tokens)
    {
        var start = i;
        var depth = 1;
        var j = i + 1;
        if (j < source.Length && source[j] == '?')
        {
            return $"a pattern cannot start with '?' (index {Format(j)})";
        }

        var pattern = new StringBuilder();
        while (j < source.Length)
        {
            var c = source[j];
            if (c == '\\' && j + 1 < source.Length)
            {
                pattern.Append(c).Append(source[j + 1]);
                j += 2;
                continue;
            }

            if (c == ')')
            {
                depth--;
                if (depth == 0)
                {
                    j++;
                    break;
                }
            }
            else if (c == '(')
            {
                depth++;

                // A capturing group inside a parameter would shift the parameters' numbering in path-to-regexp,
                // which rejects it; (?:...), (?=...), (?!...) and named groups are fine.
                if (j + 1 >= source.Length || source[j + 1] != '?')
                {
                    return $"capturing groups are not allowed inside a pattern (index {Format(j)}); use (?:...)";
                }
            }

            pattern.Append(c);
            j++;
        }

        if (depth != 0)
        {
            return $"unbalanced '(' at index {Format(start)}";
        }

        if (pattern.Length == 0)
        {
            return $"missing pattern inside '()' at index {Format(start)}";
        }

        tokens.Add(new PathToken(PathTokenKind.Pattern, start, pattern.ToString()));
        i = j;
        return null;
    }

    /// <summary>Whether <paramref name="c"/> can be part of a parameter name (ASCII letters, digits and '_').</summary>
    public static bool IsNameChar(char c) => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or '_';

    /// <summary>Formats a source index for an error message.</summary>
    public static string Format(int index) => index.ToString(CultureInfo.InvariantCulture);

    /// <summary>Names a token kind for an error message.</summary>
    public static string Describe(PathTokenKind kind) => kind switch
    {
        PathTokenKind.Modifier => "modifier",
        PathTokenKind.Open => "'{'",
        PathTokenKind.Close => "'}'",
        PathTokenKind.Name => "parameter",
        PathTokenKind.Pattern => "pattern",
        PathTokenKind.End => "end of source",
        _ => "character",
    };
}
