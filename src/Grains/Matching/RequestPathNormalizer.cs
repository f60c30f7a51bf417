using System.Buffers;
using System.Text;

namespace Cluster.Grains.Matching;

/// <summary>
/// Checks a raw request path (Kestrel's raw target with the query already split off) before routing, with
/// Next.js's rules for slashes (spec §1.5) and encoding (§1.6), and our own stricter rules where Next.js would route
/// something surprising.
/// </summary>
/// <remarks>
/// <para>Rules, in order of precedence:</para>
/// <list type="number">
/// <item><see cref="PathNormalizationResult.BadRequest"/>: no leading <c>/</c>; a <c>%</c> not followed by two hex
/// digits, or escapes that do not decode to valid UTF-8 (what makes <c>decodeURIComponent</c> throw); a control
/// character or NUL, raw or escaped; a dot segment (<c>.</c>, <c>..</c>, literal or escaped in any case mix, such as
/// <c>%2e</c> or <c>.%2E</c>). Dot segments are refused rather than resolved by design: no route can be named
/// <c>.</c> or <c>..</c>, and resolving them would let <c>/public/../admin</c> pass a prefix check upstream. A bad
/// path is rejected even when it also needs a redirect, so we never redirect to a path we would then refuse.</item>
/// <item><see cref="PathNormalizationResult.Redirect"/>: backslashes become <c>/</c>, runs of slashes collapse and a
/// trailing slash is dropped (except for the root), all in one redirect.</item>
/// <item><see cref="PathNormalizationResult.Ok"/>: the path is returned unchanged, and nothing is allocated.</item>
/// </list>
/// </remarks>
internal static class RequestPathNormalizer
{
    // A path up to this length is rebuilt on the stack when it needs a redirect.
    private const int StackBufferLimit = 256;

    /// <summary>Checks and, when needed, normalises a raw request path.</summary>
    /// <param name="rawPath">The raw, still percent-encoded path, without the query.</param>
    /// <param name="path">
    /// For <see cref="PathNormalizationResult.Redirect"/>, the path to redirect to; otherwise <paramref name="rawPath"/>
    /// itself.
    /// </param>
    public static PathNormalizationResult Normalize(string rawPath, out string path)
    {
        ArgumentNullException.ThrowIfNull(rawPath);
        path = rawPath;
        if (rawPath.Length == 0 || rawPath[0] != '/')
        {
            return PathNormalizationResult.BadRequest;
        }

        var needsRewrite = false;
        var segmentStart = 1;
        var i = 1;
        while (true)
        {
            var atEnd = i == rawPath.Length;
            var c = atEnd ? '/' : rawPath[i];
            if (c is '/' or '\\')
            {
                needsRewrite |= c == '\\';
                if (i == segmentStart)
                {
                    // An empty segment: a run of slashes, or a trailing slash (the root "/" alone is fine).
                    needsRewrite |= !atEnd || rawPath.Length > 1;
                }
                else if (IsDotSegment(rawPath.AsSpan(segmentStart, i - segmentStart)))
                {
                    return PathNormalizationResult.BadRequest;
                }

                if (atEnd)
                {
                    break;
                }

                segmentStart = ++i;
            }
            else if (c == '%')
            {
                var consumed = ValidateEscapes(rawPath.AsSpan(i));
                if (consumed == 0)
                {
                    return PathNormalizationResult.BadRequest;
                }

                i += consumed;
            }
            else if (char.IsControl(c))
            {
                return PathNormalizationResult.BadRequest;
            }
            else
            {
                i++;
            }
        }

        if (!needsRewrite)
        {
            return PathNormalizationResult.Ok;
        }

        path = Collapse(rawPath);
        return PathNormalizationResult.Redirect;
    }

    /// <summary>
    /// Validates the UTF-8 sequence starting with the escape at the start of <paramref name="text"/>: one <c>%XX</c>
    /// for ASCII, or as many as the lead byte announces. Returns the characters consumed, or 0 when malformed or when
    /// it decodes to a control character.
    /// </summary>
    private static int ValidateEscapes(ReadOnlySpan<char> text)
    {
        if (!TryReadEscape(text, out var lead))
        {
            return 0;
        }

        if (lead < 0x80)
        {
            return lead < 0x20 || lead == 0x7F ? 0 : 3;
        }

        var length = lead switch
        {
            >= 0xC2 and <= 0xDF => 2,
            >= 0xE0 and <= 0xEF => 3,
            >= 0xF0 and <= 0xF4 => 4,
            _ => 0,
        };
        if (length == 0)
        {
            return 0;
        }

        Span<byte> bytes = stackalloc byte[4];
        bytes[0] = lead;
        for (var k = 1; k < length; k++)
        {
            if (!TryReadEscape(text[(3 * k)..], out bytes[k]))
            {
                return 0;
            }
        }

        // Rejects bad continuation bytes, overlong forms and surrogates, as decodeURIComponent does.
        var status = Rune.DecodeFromUtf8(bytes[..length], out var rune, out var decoded);
        if (status != OperationStatus.Done || decoded != length || Rune.IsControl(rune))
        {
            return 0;
        }

        return 3 * length;
    }

    private static bool TryReadEscape(ReadOnlySpan<char> text, out byte value)
    {
        value = 0;
        if (text.Length < 3 || text[0] != '%')
        {
            return false;
        }

        var high = HexValue(text[1]);
        var low = HexValue(text[2]);
        if ((high | low) < 0)
        {
            return false;
        }

        value = (byte)((high << 4) | low);
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };

    /// <summary>Whether a segment is <c>.</c> or <c>..</c>, each dot literal or escaped as <c>%2e</c>/<c>%2E</c>.</summary>
    private static bool IsDotSegment(ReadOnlySpan<char> segment)
    {
        if (segment.Length > 6)
        {
            return false;
        }

        var dots = 0;
        for (var k = 0; k < segment.Length;)
        {
            if (segment[k] == '.')
            {
                k++;
            }
            else if (segment[k..].Length >= 3 && segment[k] == '%' && segment[k + 1] == '2' && segment[k + 2] is 'e' or 'E')
            {
                k += 3;
            }
            else
            {
                return false;
            }

            dots++;
        }

        return dots is 1 or 2;
    }

    private static string Collapse(string rawPath)
    {
        char[]? rented = null;
        Span<char> buffer = rawPath.Length <= StackBufferLimit
            ? stackalloc char[rawPath.Length]
            : (rented = ArrayPool<char>.Shared.Rent(rawPath.Length));
        try
        {
            var length = 0;
            var previousWasSlash = false;
            foreach (var c in rawPath)
            {
                var isSlash = c is '/' or '\\';
                if (!isSlash || !previousWasSlash)
                {
                    buffer[length++] = isSlash ? '/' : c;
                }

                previousWasSlash = isSlash;
            }

            if (length > 1 && buffer[length - 1] == '/')
            {
                length--;
            }

            return new string(buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }
}
