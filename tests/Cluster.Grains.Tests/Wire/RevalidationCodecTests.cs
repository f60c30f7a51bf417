using System.Buffers;
using System.Text;
using Cluster.Grains.Caching;
using Cluster.Grains.Wire;
using Cluster.Runtime.Serialization;

namespace Cluster.Grains.Tests.Wire;

/// <summary>
/// The revalidation call's codec (<see cref="RouteCacheInvalidationCodec"/>, message <c>route-cache.invalidate.v1</c>):
/// exact round trips, the pinned layout, the writer's refusals, and hostile frames, which must only ever be an
/// <see cref="InvalidDataException"/>.
/// </summary>
public sealed class RevalidationCodecTests
{
    private static readonly IWireCodec<RouteCacheInvalidation> s_invalidation = RouteCacheInvalidationCodec.Instance;
    private static readonly IWireCodec<RouteCacheInvalidationResult> s_result = RouteCacheInvalidationCodec.Instance;

    public static TheoryData<string?> Paths => new()
    {
        null,
        "/",
        "/blog/hello",
        "/blog/h%C3%A9llo",
        "/bücher/straße/😀",
        "/" + new string('a', 41),
        "/" + new string('a', 42),
        "/" + new string('a', 200),
        "/" + new string('a', RouteCacheInvalidationCodec.MaxPathBytes - 1),
        "/" + new string('€', (RouteCacheInvalidationCodec.MaxPathBytes - 1) / 3),
    };

    [Fact]
    public void MessageName_IsTheWireName()
    {
        Assert.Equal("route-cache.invalidate.v1", RouteCacheInvalidationCodec.MessageName);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Invalidation_RoundTrips(string? path)
    {
        var bytes = Encode(s_invalidation, new RouteCacheInvalidation { Path = path });

        var read = s_invalidation.Read(new ReadOnlySequence<byte>(bytes));

        Assert.Equal(path, read.Path);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(300)]
    [InlineData(int.MaxValue)]
    public void Result_RoundTrips(int dropped)
    {
        var bytes = Encode(s_result, new RouteCacheInvalidationResult { Dropped = dropped });

        Assert.Equal(dropped, s_result.Read(new ReadOnlySequence<byte>(bytes)).Dropped);
    }

    [Fact]
    public void Write_WritesTheVersion1Layout()
    {
        Assert.Equal([1, 0], Encode(s_invalidation, new RouteCacheInvalidation()));
        Assert.Equal([1, 4, (byte)'/', (byte)'a', (byte)'b'], Encode(s_invalidation, new RouteCacheInvalidation { Path = "/ab" }));
        Assert.Equal([1, 0], Encode(s_result, new RouteCacheInvalidationResult()));
        Assert.Equal([1, 0xAC, 0x02], Encode(s_result, new RouteCacheInvalidationResult { Dropped = 300 }));
    }

    [Fact]
    public void Write_RoundTripOfAReadSequenceInPieces_ReadsTheSame()
    {
        var bytes = Encode(s_invalidation, new RouteCacheInvalidation { Path = "/blog/" + new string('x', 100) });

        var read = s_invalidation.Read(Split(bytes, 7));

        Assert.Equal("/blog/" + new string('x', 100), read.Path);
    }

    [Fact]
    public void WriteInvalidation_EmptyPath_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Encode(s_invalidation, new RouteCacheInvalidation { Path = string.Empty }));
    }

    [Theory]
    [InlineData(RouteCacheInvalidationCodec.MaxPathBytes + 1, 'a')]
    [InlineData(RouteCacheInvalidationCodec.MaxPathBytes / 3 + 1, '€')]
    public void WriteInvalidation_PathOverTheLimit_ThrowsArgumentExceptionBeforeWriting(int chars, char c)
    {
        var output = new ArrayBufferWriter<byte>();

        var error = Assert.Throws<ArgumentException>(() => s_invalidation.Write(new RouteCacheInvalidation { Path = new string(c, chars) }, output));

        Assert.Contains($"{RouteCacheInvalidationCodec.MaxPathBytes}", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void WriteInvalidation_PathAtTheLimitInMultiByteChars_IsWritten()
    {
        // 21,846 chars in 65,536 bytes: exactly the limit, and over the length the writer trusts without counting bytes.
        var path = new string('€', RouteCacheInvalidationCodec.MaxPathBytes / 3) + "a";

        var bytes = Encode(s_invalidation, new RouteCacheInvalidation { Path = path });

        Assert.Equal(path, s_invalidation.Read(new ReadOnlySequence<byte>(bytes)).Path);
    }

    [Fact]
    public void WriteResult_NegativeCount_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Encode(s_result, new RouteCacheInvalidationResult { Dropped = -1 }));
    }

    [Fact]
    public void Write_Null_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => s_invalidation.Write(null!, new ArrayBufferWriter<byte>()));
        Assert.Throws<ArgumentNullException>(() => s_result.Write(null!, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Read_EveryTruncation_ThrowsInvalidData()
    {
        byte[][] frames =
        [
            Encode(s_invalidation, new RouteCacheInvalidation { Path = "/blog/h%C3%A9llo" }),
            Encode(s_invalidation, new RouteCacheInvalidation { Path = "/" + new string('a', 300) }),
            Encode(s_invalidation, new RouteCacheInvalidation()),
        ];

        foreach (var frame in frames)
        {
            for (var length = 0; length < frame.Length; length++)
            {
                AssertInvalid(s_invalidation, frame.AsMemory(0, length));
            }
        }

        var result = Encode(s_result, new RouteCacheInvalidationResult { Dropped = 1_000_000 });
        for (var length = 0; length < result.Length; length++)
        {
            AssertInvalid(s_result, result.AsMemory(0, length));
        }
    }

    [Fact]
    public void Read_TrailingByte_ThrowsInvalidData()
    {
        AssertInvalid(s_invalidation, (byte[])[.. Encode(s_invalidation, new RouteCacheInvalidation { Path = "/a" }), 0]);
        AssertInvalid(s_invalidation, (byte[])[1, 0, 0]);
        AssertInvalid(s_result, (byte[])[1, 5, 0]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(0xFF)]
    public void Read_UnknownVersion_ThrowsInvalidDataNamingIt(byte version)
    {
        var invalidation = AssertInvalid(s_invalidation, (byte[])[version, 0]);
        var result = AssertInvalid(s_result, (byte[])[version, 0]);

        Assert.Contains($"version {version}", invalidation.Message, StringComparison.Ordinal);
        Assert.Contains($"version {version}", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadInvalidation_EmptyPath_ThrowsInvalidData()
    {
        // A nullable string's prefix is its length plus one: 1 is "", which no writer sends.
        AssertInvalid(s_invalidation, (byte[])[1, 1]);
    }

    [Fact]
    public void ReadInvalidation_PathOverTheLimitOrPastTheEnd_ThrowsInvalidData()
    {
        byte[][] frames =
        [
            Frame((ref WireWriter w) => { w.WriteByte(1); w.WriteVarUInt32(RouteCacheInvalidationCodec.MaxPathBytes + 2); w.WriteRaw(new byte[RouteCacheInvalidationCodec.MaxPathBytes + 1]); }),
            Frame((ref WireWriter w) => { w.WriteByte(1); w.WriteVarUInt32(uint.MaxValue); w.WriteRaw(new byte[16]); }),
            Frame((ref WireWriter w) => { w.WriteByte(1); w.WriteVarUInt32(RouteCacheInvalidationCodec.MaxPathBytes); w.WriteRaw(new byte[16]); }),
        ];

        foreach (var frame in frames)
        {
            AssertInvalid(s_invalidation, frame);
        }
    }

    [Fact]
    public void ReadInvalidation_BadUtf8_ThrowsInvalidData()
    {
        AssertInvalid(s_invalidation, (byte[])[1, 3, (byte)'/', 0xC3]);
        AssertInvalid(s_invalidation, (byte[])[1, 3, 0xFF, 0xFE]);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0x80, 0x80, 0x80, 0x80, 0x08 })]
    [InlineData(new byte[] { 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F })]
    [InlineData(new byte[] { 1, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F })]
    [InlineData(new byte[] { 1, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01 })]
    public void ReadResult_CountOverInt32OrOverlongVarint_ThrowsInvalidData(byte[] frame)
    {
        AssertInvalid(s_result, frame);
    }

    [Fact]
    public void Read_RandomBytes_ReturnAValueOrThrowInvalidData()
    {
        var random = new Random(5_2026);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 24)];
            random.NextBytes(bytes);
            if (bytes.Length > 0 && i % 2 == 0)
            {
                bytes[0] = 1;
            }

            AssertValueOrInvalid(s_invalidation, bytes);
            AssertValueOrInvalid(s_result, bytes);
        }
    }

    private static void AssertValueOrInvalid<T>(IWireCodec<T> codec, byte[] bytes)
    {
        T value;
        try
        {
            value = codec.Read(new ReadOnlySequence<byte>(bytes));
        }
        catch (InvalidDataException)
        {
            return;
        }

        // The writer accepts whatever the reader returned, and what it writes reads back to the same encoding.
        var written = Encode(codec, value);
        Assert.Equal(written, Encode(codec, codec.Read(new ReadOnlySequence<byte>(written))));
    }

    private static InvalidDataException AssertInvalid<T>(IWireCodec<T> codec, ReadOnlyMemory<byte> bytes)
    {
        var error = Record.Exception(() => codec.Read(new ReadOnlySequence<byte>(bytes)));
        return Assert.IsType<InvalidDataException>(error);
    }

    private static byte[] Encode<T>(IWireCodec<T> codec, T value)
    {
        var output = new ArrayBufferWriter<byte>();
        codec.Write(value, output);
        return output.WrittenSpan.ToArray();
    }

    private static byte[] Frame(WriteFrame write)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(output);
        write(ref writer);
        return output.WrittenSpan.ToArray();
    }

    private static ReadOnlySequence<byte> Split(byte[] bytes, int size)
    {
        Segment? first = null;
        Segment? last = null;
        for (var offset = 0; offset < bytes.Length; offset += size)
        {
            var piece = bytes.AsMemory(offset, Math.Min(size, bytes.Length - offset));
            last = last is null ? first = new Segment(piece, 0) : last.Append(piece);
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private delegate void WriteFrame(ref WireWriter writer);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
