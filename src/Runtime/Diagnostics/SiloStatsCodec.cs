using System.Buffers;
using System.Text;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// Writes and reads the grain message <see cref="SiloStatsGrain.MessageName"/>: the empty <see cref="SiloStatsRequest"/>
/// and the <see cref="SiloStats"/> answer. One codec for both directions (register it as both).
/// <para>
/// Layout (primitives as in <c>Networking/README.md</c>). Request: <c>u8 version (1)</c>. Response: <c>u8 version (1)</c>,
/// <c>string silo</c> (<c>host:port@generation</c>, ≤ 512 B), <c>string siloName</c> and <c>string hostName</c>
/// (≤ 1 KiB each), <c>i64 uptimeTicks</c>, <c>varint activations</c>, <c>varint typeCount</c> (≤ 10,000) then per type
/// <c>string grainType</c> (≤ 1 KiB) and <c>varint count</c>, <c>i64 cpuPercent</c> (the bits of a double, 0–100),
/// <c>i64 workingSetBytes</c>, <c>i64 gcHeapBytes</c>, <c>i64 messagesReceived</c>, <c>i64 messagesSent</c>,
/// <c>i64 messagesRejected</c>, <c>varint queuedRequests</c>, <c>varint connections</c>. Nothing may follow.
/// </para>
/// <para>
/// The reader checks every length and count against its limit and against what is left before allocating, and refuses
/// any other version, a negative figure, a CPU share outside 0–100, an address that does not parse and trailing bytes
/// (<see cref="InvalidDataException"/>). The writer checks the same limits, so a value a reader would refuse fails its
/// own call instead of closing the connection it would have travelled on.
/// </para>
/// </summary>
internal sealed class SiloStatsCodec : IWireCodec<SiloStatsRequest>, IWireCodec<SiloStats>
{
    /// <summary>The most grain types in one answer (a silo hosts a handful).</summary>
    public const int MaxGrainTypes = 10_000;

    /// <summary>The longest silo address, in UTF-8 bytes (the transport's identity limit).</summary>
    public const int MaxAddressBytes = 512;

    /// <summary>The longest silo name, host name or grain type name, in UTF-8 bytes.</summary>
    public const int MaxNameBytes = 1024;

    private const byte FormatVersion = 1;

    // The fewest bytes a grain type entry takes (an empty name's length prefix and a one-byte count): a count the rest
    // of the frame cannot hold is refused before the array is sized by it.
    private const int MinTypeBytes = 2;

    private SiloStatsCodec()
    {
    }

    /// <summary>The codec (it has no state).</summary>
    public static SiloStatsCodec Instance { get; } = new();

    /// <inheritdoc />
    public void Write(SiloStatsRequest value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(output);
        new WireWriter(output).WriteByte(FormatVersion);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A negative figure, a CPU share outside 0–100, more than
    /// <see cref="MaxGrainTypes"/> grain types, or a string over its limit.</exception>
    public void Write(SiloStats value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(value.Silo, nameof(value));
        var byType = value.ActivationsByType ?? [];
        if (byType.Count > MaxGrainTypes)
        {
            throw new ArgumentException($"Silo statistics carry at most {MaxGrainTypes} grain types; these have {byType.Count}.", nameof(value));
        }

        CheckNotNegative(value.Uptime.Ticks, nameof(SiloStats.Uptime));
        CheckNotNegative(value.Activations, nameof(SiloStats.Activations));
        if (!(value.CpuPercent is >= 0 and <= 100))
        {
            throw new ArgumentException($"The CPU share {value.CpuPercent} is outside 0–100.", nameof(value));
        }

        CheckNotNegative(value.WorkingSetBytes, nameof(SiloStats.WorkingSetBytes));
        CheckNotNegative(value.GcHeapBytes, nameof(SiloStats.GcHeapBytes));
        CheckNotNegative(value.MessagesReceived, nameof(SiloStats.MessagesReceived));
        CheckNotNegative(value.MessagesSent, nameof(SiloStats.MessagesSent));
        CheckNotNegative(value.MessagesRejected, nameof(SiloStats.MessagesRejected));
        CheckNotNegative(value.QueuedRequests, nameof(SiloStats.QueuedRequests));
        CheckNotNegative(value.Connections, nameof(SiloStats.Connections));

        var writer = new WireWriter(output);
        writer.WriteByte(FormatVersion);
        WriteString(ref writer, value.Silo.ToString(), MaxAddressBytes, nameof(SiloStats.Silo));
        WriteString(ref writer, value.SiloName ?? string.Empty, MaxNameBytes, nameof(SiloStats.SiloName));
        WriteString(ref writer, value.HostName ?? string.Empty, MaxNameBytes, nameof(SiloStats.HostName));
        writer.WriteInt64(value.Uptime.Ticks);
        writer.WriteVarUInt32((uint)value.Activations);
        writer.WriteVarUInt32((uint)byType.Count);
        foreach (var (grainType, count) in byType)
        {
            CheckNotNegative(count, nameof(SiloStats.ActivationsByType));
            WriteString(ref writer, grainType ?? string.Empty, MaxNameBytes, nameof(SiloStats.ActivationsByType));
            writer.WriteVarUInt32((uint)count);
        }

        writer.WriteInt64(BitConverter.DoubleToInt64Bits(value.CpuPercent));
        writer.WriteInt64(value.WorkingSetBytes);
        writer.WriteInt64(value.GcHeapBytes);
        writer.WriteInt64(value.MessagesReceived);
        writer.WriteInt64(value.MessagesSent);
        writer.WriteInt64(value.MessagesRejected);
        writer.WriteVarUInt32((uint)value.QueuedRequests);
        writer.WriteVarUInt32((uint)value.Connections);
    }

    /// <summary>Reads a request written by <see cref="Write(SiloStatsRequest, IBufferWriter{byte})"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid request.</exception>
    public SiloStatsRequest ReadRequest(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        ReadVersion(ref reader, "silo statistics request");
        reader.EnsureEnd();
        return SiloStatsRequest.Instance;
    }

    /// <summary>Reads statistics written by <see cref="Write(SiloStats, IBufferWriter{byte})"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not valid statistics.</exception>
    public SiloStats ReadStats(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        ReadVersion(ref reader, "silo statistics answer");
        var address = reader.ReadString(MaxAddressBytes);
        if (!SiloAddress.TryParse(address, out var silo))
        {
            throw new InvalidDataException($"Silo statistics name the silo '{address}', which is not host:port@generation.");
        }

        var siloName = reader.ReadString(MaxNameBytes);
        var hostName = reader.ReadString(MaxNameBytes);
        var uptime = ReadNotNegative(ref reader, "uptime");
        var activations = ReadInt32(ref reader, "activation count");
        var typeCount = reader.ReadCount(MaxGrainTypes, MinTypeBytes);
        var byType = typeCount == 0 ? [] : new KeyValuePair<string, int>[typeCount];
        for (var i = 0; i < byType.Length; i++)
        {
            var grainType = reader.ReadString(MaxNameBytes);
            byType[i] = new KeyValuePair<string, int>(grainType, ReadInt32(ref reader, "activation count of a grain type"));
        }

        var cpu = BitConverter.Int64BitsToDouble(reader.ReadInt64());
        if (!(cpu is >= 0 and <= 100))
        {
            throw new InvalidDataException($"Silo statistics report the CPU share {cpu}, outside 0–100.");
        }

        var stats = new SiloStats
        {
            Silo = silo,
            SiloName = siloName,
            HostName = hostName,
            Uptime = TimeSpan.FromTicks(uptime),
            Activations = activations,
            ActivationsByType = byType,
            CpuPercent = cpu,
            WorkingSetBytes = ReadNotNegative(ref reader, "working set"),
            GcHeapBytes = ReadNotNegative(ref reader, "GC heap size"),
            MessagesReceived = ReadNotNegative(ref reader, "received message count"),
            MessagesSent = ReadNotNegative(ref reader, "sent message count"),
            MessagesRejected = ReadNotNegative(ref reader, "rejected message count"),
            QueuedRequests = ReadInt32(ref reader, "queued request count"),
            Connections = ReadInt32(ref reader, "connection count"),
        };
        reader.EnsureEnd();
        return stats;
    }

    SiloStatsRequest IWireCodec<SiloStatsRequest>.Read(ReadOnlySequence<byte> input) => ReadRequest(input);

    SiloStats IWireCodec<SiloStats>.Read(ReadOnlySequence<byte> input) => ReadStats(input);

    private static void WriteString(ref WireWriter writer, string value, int maxBytes, string field)
    {
        // A string of at most a third of the limit in chars is within it in UTF-8 (3 bytes per char at worst).
        if (value.Length > maxBytes / 3 && Encoding.UTF8.GetByteCount(value) > maxBytes)
        {
            throw new ArgumentException($"The {field} of silo statistics is over {maxBytes} UTF-8 bytes.", nameof(value));
        }

        writer.WriteString(value);
    }

    private static void CheckNotNegative(long value, string field)
    {
        if (value < 0)
        {
            throw new ArgumentException($"The {field} of silo statistics is negative ({value}).", nameof(value));
        }
    }

    private static long ReadNotNegative(ref WireReader reader, string field)
    {
        var value = reader.ReadInt64();
        return value >= 0 ? value : throw new InvalidDataException($"Silo statistics report a negative {field} ({value}).");
    }

    private static int ReadInt32(ref WireReader reader, string field)
    {
        var value = reader.ReadVarUInt32();
        return value <= int.MaxValue ? (int)value : throw new InvalidDataException($"Silo statistics report a {field} of {value}, over the limit.");
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
