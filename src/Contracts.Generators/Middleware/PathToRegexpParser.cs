using System.Collections.Generic;
using System.Text;

namespace Cluster.Generators.Middleware;

/// <summary>path-to-regexp's <c>parse</c> and <c>tokensToRegexp</c> in one pass over the tokens.</summary>
/// <remarks>Errors are returned as phrases for a diagnostic; parsing stops at the first one.</remarks>
internal sealed class PathToRegexpParser
{
    // Characters that, right before a parameter, become its prefix (path-to-regexp's default "./").
    private const string Prefixes = "./";

    private readonly List<PathToken> _tokens;
    private readonly StringBuilder _route = new();
    private readonly StringBuilder _text = new();
    private int _position;

    /// <summary>Creates a parser over <paramref name="tokens"/>, which end with an <see cref="PathTokenKind.End"/> token.</summary>
    public PathToRegexpParser(List<PathToken> tokens)
    {
        _tokens = tokens;
    }

    /// <summary>Returns the expression body (without anchors), or sets <paramref name="error"/>.</summary>
    public string Parse(out string? error)
    {
        error = null;
        while (_position < _tokens.Count)
        {
            var character = TryConsume(PathTokenKind.Char);
            var name = TryConsume(PathTokenKind.Name);
            var pattern = TryConsume(PathTokenKind.Pattern);
            if (name is not null || pattern is not null)
            {
                // A '/' or '.' right before the parameter belongs to it, so a modifier makes it optional too.
                var prefix = character ?? string.Empty;
                if (prefix.Length > 0 && Prefixes.IndexOf(prefix[0]) < 0)
                {
                    _text.Append(prefix);
                    prefix = string.Empty;
                }

                FlushText();
                var modifier = TryConsume(PathTokenKind.Modifier) ?? string.Empty;
                error = AppendParameter(name, PathToRegexp.Escape(prefix), string.Empty, pattern ?? PathToRegexp.DefaultSegmentPattern, modifier);
                if (error is not null)
                {
                    return string.Empty;
                }

                continue;
            }

            var value = character ?? TryConsume(PathTokenKind.EscapedChar);
            if (value is not null)
            {
                _text.Append(value);
                continue;
            }

            FlushText();
            if (TryConsume(PathTokenKind.Open) is not null)
            {
                var groupPrefix = ConsumeText();
                var groupName = TryConsume(PathTokenKind.Name);
                var groupPattern = TryConsume(PathTokenKind.Pattern);
                var suffix = ConsumeText();
                error = MustConsume(PathTokenKind.Close);
                if (error is not null)
                {
                    return string.Empty;
                }

                var modifier = TryConsume(PathTokenKind.Modifier) ?? string.Empty;
                var effectivePattern = groupPattern ?? (groupName is not null ? PathToRegexp.DefaultSegmentPattern : null);
                if (effectivePattern is null)
                {
                    // Plain text in braces: only the modifier applies to it.
                    _route.Append("(?:").Append(PathToRegexp.Escape(groupPrefix)).Append(PathToRegexp.Escape(suffix)).Append(')').Append(modifier);
                    continue;
                }

                error = AppendParameter(groupName, PathToRegexp.Escape(groupPrefix), PathToRegexp.Escape(suffix), effectivePattern, modifier);
                if (error is not null)
                {
                    return string.Empty;
                }

                continue;
            }

            error = MustConsume(PathTokenKind.End);
            if (error is not null)
            {
                return string.Empty;
            }
        }

        return _route.ToString();
    }

    private string? AppendParameter(string? name, string prefix, string suffix, string pattern, string modifier)
    {
        var repeated = modifier is "*" or "+";
        if (prefix.Length == 0 && suffix.Length == 0)
        {
            // Newer v6 releases reject this: "(x)*" with a lazy x backtracks exponentially on a long path.
            if (repeated)
            {
                return $"cannot repeat {(name is null ? "a pattern" : "':" + name + "'")} with '{modifier}' without a '/' or '.' before it";
            }

            _route.Append('(').Append(pattern).Append(')').Append(modifier);
            return null;
        }

        if (repeated)
        {
            _route.Append("(?:").Append(prefix)
                .Append("((?:").Append(pattern).Append(")(?:").Append(suffix).Append(prefix).Append("(?:").Append(pattern).Append("))*)")
                .Append(suffix).Append(')');
            if (modifier == "*")
            {
                _route.Append('?');
            }

            return null;
        }

        _route.Append("(?:").Append(prefix).Append('(').Append(pattern).Append(')').Append(suffix).Append(')').Append(modifier);
        return null;
    }

    private void FlushText()
    {
        if (_text.Length > 0)
        {
            _route.Append(PathToRegexp.Escape(_text.ToString()));
            _text.Clear();
        }
    }

    // Literal characters (escaped or not) inside '{...}', before or after the parameter.
    private string ConsumeText()
    {
        var text = new StringBuilder();
        while (true)
        {
            var value = TryConsume(PathTokenKind.Char) ?? TryConsume(PathTokenKind.EscapedChar);
            if (value is null)
            {
                return text.ToString();
            }

            text.Append(value);
        }
    }

    private string? TryConsume(PathTokenKind kind)
    {
        if (_position < _tokens.Count && _tokens[_position].Kind == kind)
        {
            return _tokens[_position++].Value;
        }

        return null;
    }

    private string? MustConsume(PathTokenKind kind)
    {
        if (TryConsume(kind) is not null)
        {
            return null;
        }

        var token = _tokens[_position];
        var found = token.Kind is PathTokenKind.Char or PathTokenKind.EscapedChar ? "'" + token.Value + "'" : PathToRegexp.Describe(token.Kind);
        return $"unexpected {found} at index {PathToRegexp.Format(token.Index)}, expected {PathToRegexp.Describe(kind)}";
    }
}
