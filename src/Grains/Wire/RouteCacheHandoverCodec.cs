using System.Buffers;
using Cluster.Grains.Caching;
using Cluster.Runtime.Serialization;

namespace Cluster.Grains.Wire;

/// <summary>
/// Writes and reads the cache hand-over of a route (message <see cref="RouteCacheHandover.MessageName"/>): the
/// <see cref="RouteCacheHandover"/> request, each entry's response written by <see cref="RouteResponseCodec"/>, and the
/// <see cref="RouteCacheHandoverResult"/> answer. One codec for both directions (register it as both). The layout is in
/// this folder's README.
/// </summary>
internal sealed class RouteCacheHandoverCodec : IWireCodec<RouteCacheHandover>, IWireCodec<RouteCacheHandoverResult>
{
    /// <summary>The most entries in one hand-over message (a sender splits larger hand-overs).</summary>
    public const int MaxEntries = 100_000;

    private const byte FormatVersion = 1;

    // The fewest bytes an entry takes: an empty path's length prefix, the version and age, the stale flag, and a
    // response length prefix. A count the rest of the frame cannot hold is refused before the array is sized.
    private const int MinEntryBytes = 1 + 8 + 8 + 1 + 1;

    private const byte NeverStale = 0;
    private const byte StaleAfter = 1;

    private static readonly long s_maxSpanTicks = RouteCacheHandoverEntry.MaxSpan.Ticks;

    private RouteCacheHandoverCodec()
    {
    }

    /// <summary>The codec (it has no state).</summary>
    public static RouteCacheHandoverCodec Instance { get; } = new();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">More than <see cref="MaxEntries"/> entries, a null entry, a negative version,
    /// an age or stale time outside ±<see cref="RouteCacheHandoverEntry.MaxSpan"/> (negative for the age), or a path or
    /// response over the route protocol's limits.</exception>
    public void Write(RouteCacheHandover value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(output);
        var entries = value.Entries;
        ArgumentNullException.ThrowIfNull(entries, nameof(value));
        if (entries.Count > MaxEntries)
        {
            throw new ArgumentException($"A cache hand-over carries at most {MaxEntries} entries; this one has {entries.Count}.", nameof(value));
        }

        var writer = new WireWriter(output);
        writer.WriteByte(FormatVersion);
        writer.WriteVarUInt32((uint)entries.Count);

        // Each response is written aside first: its length goes before it, so a reader can hand exactly its bytes to
        // the response codec (which reads to the end of its input).
        var response = new ArrayBufferWriter<byte>(256);
        foreach (var entry in entries)
        {
            Check(entry);
            RouteWireFormat.WriteString(ref writer, entry.Path);
            writer.WriteInt64(entry.Version);
            writer.WriteInt64(entry.Age.Ticks);
            if (entry.StaleIn is { } staleIn)
            {
                writer.WriteByte(StaleAfter);
                writer.WriteInt64(staleIn.Ticks);
            }
            else
            {
                writer.WriteByte(NeverStale);
            }

            response.ResetWrittenCount();
            RouteResponseCodec.Instance.Write(entry.Response, response);
            writer.WriteBytes(response.WrittenSpan);
        }
    }

    /// <inheritdoc />
    public void Write(RouteCacheHandoverResult value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfNegative(value.Installed, nameof(value));
        var writer = new WireWriter(output);
        writer.WriteByte(FormatVersion);
        writer.WriteVarUInt32((uint)value.Installed);
    }

    /// <summary>Reads a hand-over written by <see cref="Write(RouteCacheHandover, IBufferWriter{byte})"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid hand-over.</exception>
    public RouteCacheHandover ReadHandover(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        ReadVersion(ref reader, "cache hand-over");
        var count = reader.ReadCount(MaxEntries, MinEntryBytes);
        var entries = count == 0 ? [] : new RouteCacheHandoverEntry[count];
        for (var i = 0; i < entries.Length; i++)
        {
            var path = reader.ReadString(RouteWireFormat.MaxStringBytes);
            var version = reader.ReadInt64();
            if (version < 0)
            {
                throw new InvalidDataException($"A cache hand-over entry has the negative version {version}.");
            }

            var age = reader.ReadInt64();
            if (age < 0 || age > s_maxSpanTicks)
            {
                throw new InvalidDataException($"A cache hand-over entry has the age {age} ticks, outside 0–{s_maxSpanTicks}.");
            }

            TimeSpan? staleIn = reader.ReadByte() switch
            {
                NeverStale => null,
                StaleAfter => ReadStaleIn(ref reader),
                var flag => throw new InvalidDataException($"A cache hand-over entry has the unknown stale flag {flag}."),
            };

            var length = reader.ReadVarUInt32();
            var rest = reader.UnreadSequence;
            if (length > rest.Length)
            {
                throw new InvalidDataException($"A cache hand-over entry's response of {length} bytes is longer than what is left ({rest.Length}).");
            }

            var response = RouteResponseCodec.Instance.Read(rest.Slice(0, length));
            reader = new WireReader(rest.Slice(length));
            entries[i] = new RouteCacheHandoverEntry
            {
                Path = path,
                Response = response,
                Version = version,
                Age = TimeSpan.FromTicks(age),
                StaleIn = staleIn,
            };
        }

        reader.EnsureEnd();
        return new RouteCacheHandover { Entries = entries };
    }

    /// <summary>Reads a result written by <see cref="Write(RouteCacheHandoverResult, IBufferWriter{byte})"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid result.</exception>
    public RouteCacheHandoverResult ReadResult(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        ReadVersion(ref reader, "cache hand-over result");
        var installed = reader.ReadVarUInt32();
        if (installed > int.MaxValue)
        {
            throw new InvalidDataException($"A cache hand-over result counts {installed} installed entries.");
        }

        reader.EnsureEnd();
        return new RouteCacheHandoverResult { Installed = (int)installed };
    }

    RouteCacheHandover IWireCodec<RouteCacheHandover>.Read(ReadOnlySequence<byte> input) => ReadHandover(input);

    RouteCacheHandoverResult IWireCodec<RouteCacheHandoverResult>.Read(ReadOnlySequence<byte> input) => ReadResult(input);

    private static void Check(RouteCacheHandoverEntry? entry)
    {
        if (entry is null)
        {
            throw new ArgumentException("A cache hand-over has a null entry.", nameof(entry));
        }

        ArgumentNullException.ThrowIfNull(entry.Path, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.Response, nameof(entry));
        if (entry.Version < 0)
        {
            throw new ArgumentException($"The entry of '{entry.Path}' has the negative version {entry.Version}.", nameof(entry));
        }

        if (entry.Age < TimeSpan.Zero || entry.Age > RouteCacheHandoverEntry.MaxSpan)
        {
            throw new ArgumentException($"The entry of '{entry.Path}' has the age {entry.Age}, outside 0–{RouteCacheHandoverEntry.MaxSpan}.", nameof(entry));
        }

        if (entry.StaleIn is { } staleIn && (staleIn < -RouteCacheHandoverEntry.MaxSpan || staleIn > RouteCacheHandoverEntry.MaxSpan))
        {
            throw new ArgumentException($"The entry of '{entry.Path}' turns stale in {staleIn}, outside ±{RouteCacheHandoverEntry.MaxSpan}.", nameof(entry));
        }
    }

    private static TimeSpan ReadStaleIn(ref WireReader reader)
    {
        var ticks = reader.ReadInt64();
        if (ticks < -s_maxSpanTicks || ticks > s_maxSpanTicks)
        {
            throw new InvalidDataException($"A cache hand-over entry turns stale in {ticks} ticks, outside ±{s_maxSpanTicks}.");
        }

        return TimeSpan.FromTicks(ticks);
    }

    private static void ReadVersion(ref WireReader reader, string message)
    {
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"A {message} has format version {version}; this process reads {FormatVersion}.");
        }
    }
}
