using System.Buffers;
using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Tests.Diagnostics;

public sealed class SiloStatsCodecTests
{
    private static readonly IWireCodec<SiloStats> s_stats = SiloStatsCodec.Instance;
    private static readonly IWireCodec<SiloStatsRequest> s_request = SiloStatsCodec.Instance;

    [Fact]
    public void Stats_RoundTrip_KeepsEveryField()
    {
        var stats = Sample();

        var read = s_stats.Read(new ReadOnlySequence<byte>(Encode(s_stats, stats)));

        AssertEqual(stats, read);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(64)]
    public void Stats_ReadFromASequenceInPieces_ReadsTheSame(int pieceLength)
    {
        var stats = Sample();

        var read = s_stats.Read(TestSequences.Split(Encode(s_stats, stats), pieceLength));

        AssertEqual(stats, read);
    }

    [Fact]
    public void Stats_WritesTheVersion1Layout()
    {
        var stats = Sample();

        var bytes = Encode(s_stats, stats);

        Assert.Equal(Layout(), bytes);
    }

    [Fact]
    public void Stats_NoGrainTypesAndEmptyNames_RoundTrip()
    {
        var stats = new SiloStats { Silo = new SiloAddress("10.0.0.1", 1, 2) };

        var read = s_stats.Read(new ReadOnlySequence<byte>(Encode(s_stats, stats)));

        AssertEqual(stats, read);
    }

    [Fact]
    public void Request_RoundTrip_IsTheVersionByteAlone()
    {
        var bytes = Encode(s_request, SiloStatsRequest.Instance);

        Assert.Equal([1], bytes);
        Assert.Same(SiloStatsRequest.Instance, s_request.Read(new ReadOnlySequence<byte>(bytes)));
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 2 })]
    [InlineData(new byte[] { 1, 0 })]
    public void Request_Malformed_IsRejected(byte[] bytes)
    {
        Assert.Throws<InvalidDataException>(() => s_request.Read(new ReadOnlySequence<byte>(bytes)));
    }

    [Fact]
    public void Stats_TruncatedAnywhere_IsRejected()
    {
        var bytes = Encode(s_stats, Sample());

        for (var length = 0; length < bytes.Length; length++)
        {
            var prefix = bytes[..length];
            Assert.Throws<InvalidDataException>(() => s_stats.Read(new ReadOnlySequence<byte>(prefix)));
        }
    }

    [Fact]
    public void Stats_TrailingByte_IsRejected()
    {
        byte[] bytes = [.. Encode(s_stats, Sample()), 0];

        Assert.Throws<InvalidDataException>(() => s_stats.Read(new ReadOnlySequence<byte>(bytes)));
    }

    [Fact]
    public void Stats_OtherVersion_IsRejected()
    {
        var bytes = Encode(s_stats, Sample());
        bytes[0] = 2;

        var error = Assert.Throws<InvalidDataException>(() => s_stats.Read(new ReadOnlySequence<byte>(bytes)));
        Assert.Contains("version 2", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[]> MalformedStats => new()
    {
        { "address without generation", Layout(silo: "127.0.0.1:1") },
        { "empty address", Layout(silo: string.Empty) },
        { "negative uptime", Layout(uptimeTicks: -1) },
        { "NaN CPU", Layout(cpu: double.NaN) },
        { "infinite CPU", Layout(cpu: double.PositiveInfinity) },
        { "negative CPU", Layout(cpu: -0.5) },
        { "CPU over 100", Layout(cpu: 100.5) },
        { "negative working set", Layout(workingSet: -1) },
        { "negative rejected count", Layout(rejected: long.MinValue) },
        { "activation count over int", Layout(activations: uint.MaxValue) },
        { "name not UTF-8", Layout(siloName: [0xC3, 0x28]) },
        { "name over its limit", Layout(siloName: new byte[SiloStatsCodec.MaxNameBytes + 1]) },
        { "type count over the limit", Layout(typeCount: SiloStatsCodec.MaxGrainTypes + 1) },
        { "type count the rest cannot hold", Layout(typeCount: SiloStatsCodec.MaxGrainTypes) },
    };

    [Theory]
    [MemberData(nameof(MalformedStats))]
    public void Stats_MalformedField_IsRejected(string what, byte[] bytes)
    {
        var error = Record.Exception(() => s_stats.Read(new ReadOnlySequence<byte>(bytes)));

        Assert.True(error is InvalidDataException, $"{what}: expected InvalidDataException, got {error?.GetType().Name ?? "none"}.");
    }

    public static TheoryData<string, SiloStats> UnwritableStats => new()
    {
        { "negative activations", Sample() with { Activations = -1 } },
        { "negative type count", Sample() with { ActivationsByType = [new("x", -1)] } },
        { "negative uptime", Sample() with { Uptime = TimeSpan.FromTicks(-1) } },
        { "NaN CPU", Sample() with { CpuPercent = double.NaN } },
        { "CPU over 100", Sample() with { CpuPercent = 101 } },
        { "negative queue", Sample() with { QueuedRequests = -1 } },
        { "negative connections", Sample() with { Connections = -1 } },
        { "host name over its limit", Sample() with { HostName = new string('é', SiloStatsCodec.MaxNameBytes) } },
        { "too many grain types", Sample() with { ActivationsByType = [.. Enumerable.Repeat(new KeyValuePair<string, int>("x", 1), SiloStatsCodec.MaxGrainTypes + 1)] } },
    };

    [Theory]
    [MemberData(nameof(UnwritableStats))]
    public void Write_ValueAReaderWouldRefuse_ThrowsBeforeWriting(string what, SiloStats stats)
    {
        var output = new ArrayBufferWriter<byte>();

        var error = Record.Exception(() => s_stats.Write(stats, output));

        Assert.True(error is ArgumentException, $"{what}: expected ArgumentException, got {error?.GetType().Name ?? "none"}.");
    }

    private static SiloStats Sample() => new()
    {
        Silo = new SiloAddress("127.0.0.1", 11111, 150_000_000),
        SiloName = "silo-0",
        HostName = "node-é",
        Uptime = TimeSpan.FromTicks(123_456_789),
        Activations = 7,
        ActivationsByType = [new("route", 5), new("cluster.silo-stats", 1), new("route-worker", 1)],
        CpuPercent = 12.5,
        WorkingSetBytes = 300_000_000,
        GcHeapBytes = 40_000_000,
        MessagesReceived = 1_000_000_000_000,
        MessagesSent = 2,
        MessagesRejected = 3,
        QueuedRequests = 300,
        Connections = 4,
    };

    /// <summary>The version-1 layout of <see cref="Sample"/>, written field by field (not by the codec), with one field changed.</summary>
    private static byte[] Layout(
        string silo = "127.0.0.1:11111@150000000",
        byte[]? siloName = null,
        long uptimeTicks = 123_456_789,
        uint activations = 7,
        int? typeCount = null,
        double cpu = 12.5,
        long workingSet = 300_000_000,
        long rejected = 3)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(output);
        writer.WriteByte(1);
        writer.WriteString(silo);
        writer.WriteBytes(siloName ?? "silo-0"u8);
        writer.WriteString("node-é");
        writer.WriteInt64(uptimeTicks);
        writer.WriteVarUInt32(activations);
        if (typeCount is { } count)
        {
            // A hostile count followed by nothing that could hold it.
            writer.WriteVarUInt32((uint)count);
            writer.WriteRaw(new byte[16]);
            return output.WrittenSpan.ToArray();
        }

        writer.WriteVarUInt32(3);
        writer.WriteString("route");
        writer.WriteVarUInt32(5);
        writer.WriteString("cluster.silo-stats");
        writer.WriteVarUInt32(1);
        writer.WriteString("route-worker");
        writer.WriteVarUInt32(1);
        writer.WriteInt64(BitConverter.DoubleToInt64Bits(cpu));
        writer.WriteInt64(workingSet);
        writer.WriteInt64(40_000_000);
        writer.WriteInt64(1_000_000_000_000);
        writer.WriteInt64(2);
        writer.WriteInt64(rejected);
        writer.WriteVarUInt32(300);
        writer.WriteVarUInt32(4);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Encode<T>(IWireCodec<T> codec, T value)
    {
        var output = new ArrayBufferWriter<byte>();
        codec.Write(value, output);
        return output.WrittenSpan.ToArray();
    }

    private static void AssertEqual(SiloStats expected, SiloStats actual)
    {
        Assert.Equal(expected.ActivationsByType, actual.ActivationsByType);
        Assert.Equal(expected, actual with { ActivationsByType = expected.ActivationsByType });
    }
}
