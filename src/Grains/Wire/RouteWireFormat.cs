using System.Diagnostics.CodeAnalysis;
using System.Text;
using Cluster.Routing;
using Cluster.Runtime.Serialization;

namespace Cluster.Grains.Wire;

/// <summary>
/// What the route codecs share: the format version, the limits a reader enforces and the writer checks first, and the
/// encoding of headers and params. The layout is described in this folder's README.
/// </summary>
internal static class RouteWireFormat
{
    /// <summary>The first byte of every body this build writes; a reader refuses any other.</summary>
    public const byte Version1 = 1;

    // Limits on read. Each one is far above what HTTP lets through (Kestrel's defaults: 32 KiB of request headers,
    // 100 of them, an 8 KiB request line) and still bounds what a hostile or corrupt frame can make a reader allocate.
    // The writer checks the same limits, so a value that would be refused on read fails its own call when written
    // instead of reaching the peer, whose reader would close the whole connection.

    /// <summary>The longest string, in UTF-8 bytes, anywhere except the body (1 MiB).</summary>
    public const int MaxStringBytes = 1024 * 1024;

    /// <summary>The most headers in one request or response.</summary>
    public const int MaxHeaderCount = 1_000;

    /// <summary>The most params of one route (a real route has a handful).</summary>
    public const int MaxParamCount = 1_000;

    /// <summary>The most segments of one catch-all param (an 8 KiB path has at most 4,096).</summary>
    public const int MaxSegmentCount = 10_000;

    // The fewest bytes one item can take on the wire, so that a count the rest of the frame cannot hold is refused
    // before an array is sized by it: a header is two length prefixes, a param a name prefix, a kind byte and a
    // value prefix or segment count, a segment one length prefix.
    private const int MinHeaderBytes = 2;
    private const int MinParamBytes = 3;
    private const int MinSegmentBytes = 1;

    // A string of at most this many chars is at most MaxStringBytes in UTF-8 (3 bytes per char at worst), so only
    // longer ones need their bytes counted before writing.
    private const int MaxUncheckedStringChars = MaxStringBytes / 3;

    private const byte SingleParam = 0;
    private const byte CatchAllParam = 1;

    /// <summary>Reads the version byte and refuses any version this build cannot read.</summary>
    public static void ReadVersion(ref WireReader reader, string message)
    {
        var version = reader.ReadByte();
        if (version != Version1)
        {
            ThrowUnknownVersion(message, version);
        }
    }

    /// <summary>A string within <see cref="MaxStringBytes"/>.</summary>
    public static void WriteString(ref WireWriter writer, string value)
    {
        if (value is not null && value.Length > MaxUncheckedStringChars)
        {
            CheckLength(value);
        }

        writer.WriteString(value!);
    }

    /// <summary>A string that may be null, within <see cref="MaxStringBytes"/>.</summary>
    public static void WriteNullableString(ref WireWriter writer, string? value)
    {
        if (value is not null && value.Length > MaxUncheckedStringChars)
        {
            CheckLength(value);
        }

        writer.WriteNullableString(value);
    }

    /// <summary>Headers as a count and name/value pairs, in order, repeated names included.</summary>
    public static void WriteHeaders(ref WireWriter writer, ReadOnlySpan<KeyValuePair<string, string>> headers)
    {
        if (headers.Length > MaxHeaderCount)
        {
            ThrowTooMany("headers", headers.Length, MaxHeaderCount);
        }

        writer.WriteVarUInt32((uint)headers.Length);
        foreach (var header in headers)
        {
            WriteString(ref writer, header.Key);
            WriteString(ref writer, header.Value);
        }
    }

    /// <summary>Headers written by <see cref="WriteHeaders"/>, as a new array (empty: the shared empty array).</summary>
    public static KeyValuePair<string, string>[] ReadHeaders(ref WireReader reader)
    {
        var count = reader.ReadCount(MaxHeaderCount, MinHeaderBytes);
        if (count == 0)
        {
            return [];
        }

        var headers = new KeyValuePair<string, string>[count];
        for (var i = 0; i < headers.Length; i++)
        {
            var name = reader.ReadString(MaxStringBytes);
            var value = reader.ReadString(MaxStringBytes);
            headers[i] = new(name, value);
        }

        return headers;
    }

    /// <summary>
    /// Params as a count and, per param, its name, a kind byte and a string or a counted list of segments. Reads the
    /// values by name (which allocates nothing, unlike enumerating): names are unique, as every factory of
    /// <see cref="RouteParams"/> guarantees.
    /// </summary>
    public static void WriteParams(ref WireWriter writer, RouteParams routeParams)
    {
        var names = routeParams.Names;
        var count = names.Count;
        if (count > MaxParamCount)
        {
            ThrowTooMany("params", count, MaxParamCount);
        }

        writer.WriteVarUInt32((uint)count);
        for (var i = 0; i < count; i++)
        {
            var name = names[i];
            routeParams.TryGetRaw(name, out var raw);
            WriteString(ref writer, name);
            if (raw is string single)
            {
                writer.WriteByte(SingleParam);
                WriteString(ref writer, single);
            }
            else if (raw is string[] segments)
            {
                if (segments.Length > MaxSegmentCount)
                {
                    ThrowTooMany("segments in a catch-all param", segments.Length, MaxSegmentCount);
                }

                writer.WriteByte(CatchAllParam);
                writer.WriteVarUInt32((uint)segments.Length);
                foreach (var segment in segments)
                {
                    WriteString(ref writer, segment);
                }
            }
            else
            {
                ThrowBadParam(name);
            }
        }
    }

    /// <summary>Params written by <see cref="WriteParams"/>.</summary>
    public static RouteParams ReadParams(ref WireReader reader)
    {
        var count = reader.ReadCount(MaxParamCount, MinParamBytes);
        if (count == 0)
        {
            return RouteParams.Empty;
        }

        var names = new string[count];
        var values = new object[count];
        for (var i = 0; i < count; i++)
        {
            names[i] = reader.ReadString(MaxStringBytes);
            var kind = reader.ReadByte();
            if (kind == SingleParam)
            {
                values[i] = reader.ReadString(MaxStringBytes);
                continue;
            }

            if (kind != CatchAllParam)
            {
                throw new InvalidDataException($"A route param has the unknown kind {kind}.");
            }

            var segmentCount = reader.ReadCount(MaxSegmentCount, MinSegmentBytes);
            var segments = segmentCount == 0 ? [] : new string[segmentCount];
            for (var j = 0; j < segments.Length; j++)
            {
                segments[j] = reader.ReadString(MaxStringBytes);
            }

            values[i] = segments;
        }

        return RouteParams.FromTrustedArrays(names, values);
    }

    private static void CheckLength(string value)
    {
        var byteCount = Encoding.UTF8.GetByteCount(value);
        if (byteCount > MaxStringBytes)
        {
            throw new ArgumentException(
                $"A string of {byteCount} UTF-8 bytes is longer than a route call may carry ({MaxStringBytes}).", nameof(value));
        }
    }

    [DoesNotReturn]
    private static void ThrowUnknownVersion(string message, byte version) =>
        throw new InvalidDataException($"The {message} is in format version {version}; this build reads version {Version1}.");

    [DoesNotReturn]
    private static void ThrowTooMany(string what, int count, int max) =>
        throw new ArgumentException($"A route call may carry at most {max} {what}; this one has {count}.");

    [DoesNotReturn]
    private static void ThrowBadParam(string name) =>
        throw new ArgumentException($"The value of route param '{name}' is neither a string nor a string array.");
}
