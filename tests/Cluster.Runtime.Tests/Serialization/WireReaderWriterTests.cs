using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Cluster.Runtime.Serialization;
using Cluster.TestSupport;

namespace Cluster.Runtime.Tests.Serialization;

public sealed class WireReaderWriterTests
{
    public static TheoryData<uint, byte[]> VarUInt32Encodings => new()
    {
        { 0u, [0x00] },
        { 1u, [0x01] },
        { 127u, [0x7F] },
        { 128u, [0x80, 0x01] },
        { 300u, [0xAC, 0x02] },
        { 16_383u, [0xFF, 0x7F] },
        { 16_384u, [0x80, 0x80, 0x01] },
        { int.MaxValue, [0xFF, 0xFF, 0xFF, 0xFF, 0x07] },
        { uint.MaxValue, [0xFF, 0xFF, 0xFF, 0xFF, 0x0F] },
    };

    public static TheoryData<string> Strings => new()
    {
        string.Empty,
        "a",
        "/blog/[slug]",
        "héllo wörld",
        "e\u0301 and \u00E9 stay distinct",
        "日本語のパス",
        "emoji \U0001F600 pair",
        new string('a', 42),
        new string('a', 43),
        new string('é', 42),
        new string('日', 42),
        new string('日', 43),
        string.Concat(Enumerable.Repeat("\U0001F600", 21)),
        string.Concat(Enumerable.Repeat("\U0001F600", 22)),
        new string('x', 127),
        new string('x', 128),
        new string('x', 20_000),
        new string('ß', 20_000),
    };

    [Theory]
    [MemberData(nameof(VarUInt32Encodings))]
    public void WriteVarUInt32_Value_WritesLeb128(uint value, byte[] expected)
    {
        var bytes = Write(w => w.WriteVarUInt32(value));

        Assert.Equal(expected, bytes);
    }

    [Theory]
    [MemberData(nameof(VarUInt32Encodings))]
    public void ReadVarUInt32_Leb128_ReadsValue(uint expected, byte[] bytes)
    {
        var reader = new WireReader(new ReadOnlySequence<byte>(bytes));

        var value = reader.ReadVarUInt32();

        Assert.Equal(expected, value);
        Assert.True(reader.End);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x10 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0x7F })]
    [InlineData(new byte[] { 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    public void ReadVarUInt32_OverLongOrOver32Bits_ThrowsInvalidData(byte[] bytes)
    {
        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadVarUInt32());
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF })]
    public void ReadVarUInt32_Truncated_ThrowsInvalidData(byte[] bytes)
    {
        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadVarUInt32());
    }

    [Fact]
    public void ReadVarUInt32_SplitAcrossSegments_ReadsValue()
    {
        var sequence = TestSequences.Split(Write(w => w.WriteVarUInt32(uint.MaxValue)), 1);

        var reader = new WireReader(sequence);

        Assert.Equal(uint.MaxValue, reader.ReadVarUInt32());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    [InlineData(0x12345678)]
    public void WriteInt32_Value_RoundTripsLittleEndian(int value)
    {
        var bytes = Write(w => w.WriteInt32(value));

        var expected = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(expected, value);
        Assert.Equal(expected, bytes);
        Assert.Equal(value, new WireReader(TestSequences.Split(bytes, 3)).ReadInt32());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(long.MaxValue)]
    [InlineData(0x0102030405060708L)]
    public void WriteInt64_Value_RoundTrips(long value)
    {
        var bytes = Write(w => w.WriteInt64(value));

        var expected = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(expected, value);
        Assert.Equal(expected, bytes);
        Assert.Equal(value, new WireReader(TestSequences.Split(bytes, 5)).ReadInt64());
    }

    [Fact]
    public void ReadInt32AndInt64_Truncated_ThrowInvalidData()
    {
        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(new byte[3])).ReadInt32());
        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(new byte[7])).ReadInt64());
        Assert.Throws<InvalidDataException>(() => new WireReader(ReadOnlySequence<byte>.Empty).ReadByte());
    }

    [Theory]
    [MemberData(nameof(Strings))]
    public void WriteString_Value_PrefixIsUtf8ByteCountAndRoundTrips(string value)
    {
        var bytes = Write(w => w.WriteString(value));

        var reader = new WireReader(new ReadOnlySequence<byte>(bytes));
        Assert.Equal((uint)Encoding.UTF8.GetByteCount(value), reader.ReadVarUInt32());
        Assert.Equal(Encoding.UTF8.GetBytes(value), reader.UnreadSequence.ToArray());

        var read = new WireReader(new ReadOnlySequence<byte>(bytes)).ReadString(int.MaxValue);
        Assert.Equal(value, read, StringComparer.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Strings))]
    public void ReadString_SplitIntoOneByteSegments_RoundTrips(string value)
    {
        var sequence = TestSequences.Split(Write(w => w.WriteString(value)), 1);

        var reader = new WireReader(sequence);
        var read = reader.ReadString(int.MaxValue);

        Assert.Equal(value, read, StringComparer.Ordinal);
        Assert.True(reader.End);
    }

    [Theory]
    [MemberData(nameof(Strings))]
    public void WriteNullableString_Value_PrefixIsByteCountPlusOneAndRoundTrips(string value)
    {
        var bytes = Write(w => w.WriteNullableString(value));

        var prefixReader = new WireReader(new ReadOnlySequence<byte>(bytes));
        Assert.Equal((uint)Encoding.UTF8.GetByteCount(value) + 1, prefixReader.ReadVarUInt32());

        var reader = new WireReader(TestSequences.Split(bytes, 2));
        Assert.Equal(value, reader.ReadNullableString(int.MaxValue), StringComparer.Ordinal);
        Assert.True(reader.End);
    }

    [Fact]
    public void WriteNullableString_NullAndEmpty_AreDistinct()
    {
        var bytes = Write(w =>
        {
            w.WriteNullableString(null);
            w.WriteNullableString(string.Empty);
        });

        Assert.Equal(new byte[] { 0x00, 0x01 }, bytes);
        var reader = new WireReader(new ReadOnlySequence<byte>(bytes));
        Assert.Null(reader.ReadNullableString(10));
        Assert.Equal(string.Empty, reader.ReadNullableString(10));
        reader.EnsureEnd();
    }

    // Built at run time: an attribute argument is stored as UTF-8, which cannot hold a lone surrogate.
    [Theory]
    [InlineData("lone ", 0xD800, " high")]
    [InlineData("lone ", 0xDC00, " low")]
    [InlineData("", 0xD83D, "")]
    public void WriteString_LoneSurrogate_WritesReplacementCharacter(string before, int surrogate, string after)
    {
        var value = before + (char)surrogate + after;
        var longValue = value + new string('a', 100);

        var shortForm = Write(w => w.WriteString(value));
        var longForm = Write(w => w.WriteString(longValue));

        Assert.Equal(before + '\uFFFD' + after, ReadString(shortForm));
        Assert.Equal(before + '\uFFFD' + after + new string('a', 100), ReadString(longForm));
    }

    [Fact]
    public void WriteString_Null_ThrowsArgumentNull()
    {
        Assert.Throws<ArgumentNullException>(() => Write(w => w.WriteString(null!)));
        Assert.Throws<ArgumentNullException>(() => new WireWriter(null!));
    }

    [Theory]
    [InlineData(new byte[] { 0x02, 0xC3, 0x28 })]
    [InlineData(new byte[] { 0x02, 0xC0, 0x80 })]
    [InlineData(new byte[] { 0x03, 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0x01, 0xFF })]
    [InlineData(new byte[] { 0x01, 0x80 })]
    [InlineData(new byte[] { 0x02, 0xE6, 0x97 })]
    [InlineData(new byte[] { 0x04, 0xF4, 0x90, 0x80, 0x80 })]
    public void ReadString_BadUtf8_ThrowsInvalidData(byte[] bytes)
    {
        var error = Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadString(100));
        Assert.Contains("UTF-8", error.Message, StringComparison.Ordinal);

        var nullable = (byte[])bytes.Clone();
        nullable[0]++;
        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(nullable)).ReadNullableString(100));
        Assert.Throws<InvalidDataException>(() => new WireReader(TestSequences.Split(bytes, 1)).ReadString(100));
    }

    [Fact]
    public void ReadString_LongerThanLimit_ThrowsInvalidDataEvenWhenBytesArePresent()
    {
        var bytes = Write(w => w.WriteString("12345"));

        Assert.Equal("12345", new WireReader(new ReadOnlySequence<byte>(bytes)).ReadString(5));
        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadString(4));
    }

    [Fact]
    public void ReadNullableString_LongerThanLimit_ThrowsInvalidData()
    {
        var bytes = Write(w => w.WriteNullableString("12345"));

        Assert.Equal("12345", new WireReader(new ReadOnlySequence<byte>(bytes)).ReadNullableString(5));
        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadNullableString(4));
    }

    [Fact]
    public void ReadStringAndBytes_LengthBeyondWhatIsLeft_ThrowInvalidData()
    {
        byte[] bytes = [0x05, (byte)'a', (byte)'b'];

        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadString(100));
        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadBytes(100));
        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>([0x06, (byte)'a', (byte)'b'])).ReadNullableString(100));
    }

    [Fact]
    public void Read_HugeLengthPrefixes_ThrowInvalidDataWithoutAllocatingTheirSize()
    {
        byte[] huge = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2, 3];
        byte[] nearIntMax = [0xFE, 0xFF, 0xFF, 0xFF, 0x07, 1, 2, 3];
        AssertInvalidData(huge);
        AssertInvalidData(nearIntMax);

        var before = GC.GetAllocatedBytesForCurrentThread();
        AssertInvalidData(huge);
        AssertInvalidData(nearIntMax);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Only the exceptions themselves (messages, stack traces): a few KiB, nowhere near the 2–4 GiB claimed.
        Assert.True(allocated < 256 * 1024, $"Allocated {allocated} bytes.");

        static void AssertInvalidData(byte[] bytes)
        {
            Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadString(int.MaxValue));
            Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadNullableString(int.MaxValue));
            Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadBytes(int.MaxValue));
            Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadCount(int.MaxValue, 1));
        }
    }

    [Fact]
    public void WriteBytes_Value_RoundTripsAsACopy()
    {
        var payload = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        var bytes = Write(w =>
        {
            w.WriteBytes(payload);
            w.WriteBytes([]);
        });

        var reader = new WireReader(TestSequences.Split(bytes, 7));
        var read = reader.ReadBytes(300);
        var empty = reader.ReadBytes(0);

        Assert.Equal(payload, read);
        Assert.Empty(empty);
        reader.EnsureEnd();
        bytes[3] ^= 0xFF;
        Assert.Equal(payload, read);
    }

    [Fact]
    public void ReadBytes_LongerThanLimit_ThrowsInvalidData()
    {
        var bytes = Write(w => w.WriteBytes(new byte[10]));

        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadBytes(9));
    }

    [Fact]
    public void WriteRaw_Bytes_WritesThemWithoutPrefix()
    {
        var bytes = Write(w =>
        {
            w.WriteRaw([1, 2, 3]);
            w.WriteRaw([]);
        });

        Assert.Equal(new byte[] { 1, 2, 3 }, bytes);
    }

    [Fact]
    public void ReadCount_OverLimit_ThrowsInvalidData()
    {
        var bytes = Write(w => w.WriteVarUInt32(1001));

        Assert.Equal(1001, new WireReader(new ReadOnlySequence<byte>(bytes)).ReadCount(1001));
        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadCount(1000));
        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(Write(w => w.WriteVarUInt32(uint.MaxValue)))).ReadCount(int.MaxValue));
    }

    [Fact]
    public void ReadCount_WithMinItemBytes_RefusesACountThatWhatIsLeftCannotHold()
    {
        var bytes = Write(w =>
        {
            w.WriteVarUInt32(3);
            w.WriteRaw(new byte[6]);
        });

        Assert.Equal(3, new WireReader(new ReadOnlySequence<byte>(bytes)).ReadCount(10, 2));
        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadCount(10, 3));
        Assert.Throws<InvalidDataException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadCount(2, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new WireReader(new ReadOnlySequence<byte>(bytes)).ReadCount(10, 0));
    }

    [Fact]
    public void EnsureEnd_TrailingBytes_ThrowsInvalidData()
    {
        var error = Assert.Throws<InvalidDataException>(() =>
        {
            var reader = new WireReader(new ReadOnlySequence<byte>([0x01, 0x02]));
            reader.ReadByte();
            Assert.Equal(1, reader.Remaining);
            Assert.False(reader.End);
            reader.EnsureEnd();
        });

        Assert.Contains("1 unexpected", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_ManyValuesInSequence_ReadBackInOrder()
    {
        var bytes = Write(w =>
        {
            w.WriteByte(7);
            w.WriteInt32(-5);
            w.WriteVarUInt32(128);
            w.WriteString("ü");
            w.WriteNullableString(null);
            w.WriteInt64(long.MinValue);
            w.WriteBytes([9, 9]);
        });

        var reader = new WireReader(TestSequences.Split(bytes, 1));

        Assert.Equal(7, reader.ReadByte());
        Assert.Equal(-5, reader.ReadInt32());
        Assert.Equal(128u, reader.ReadVarUInt32());
        Assert.Equal("ü", reader.ReadString(2));
        Assert.Null(reader.ReadNullableString(0));
        Assert.Equal(long.MinValue, reader.ReadInt64());
        Assert.Equal(new byte[] { 9, 9 }, reader.ReadBytes(2));
        reader.EnsureEnd();
    }

    private delegate void WriteAction(WireWriter writer);

    private static byte[] Write(WriteAction write)
    {
        var output = new ArrayBufferWriter<byte>();
        write(new WireWriter(output));
        return output.WrittenSpan.ToArray();
    }

    private static string ReadString(byte[] bytes)
    {
        var reader = new WireReader(new ReadOnlySequence<byte>(bytes));
        var value = reader.ReadString(int.MaxValue);
        reader.EnsureEnd();
        return value;
    }
}
