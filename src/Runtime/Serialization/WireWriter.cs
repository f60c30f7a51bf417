using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Cluster.Runtime.Serialization;

/// <summary>
/// Appends the cluster protocol's primitive values to a buffer writer: little-endian fixed-size integers, LEB128
/// variable-length unsigned integers, and length-prefixed UTF-8 strings and byte runs. A ref struct over the caller's
/// writer, so writing allocates nothing of its own.
/// </summary>
public ref struct WireWriter
{
    // A UTF-16 char is at most 3 UTF-8 bytes (a surrogate pair is 4 bytes for 2 chars), so a string of up to 42 chars
    // is at most 126 bytes and its length prefix, even plus one for a nullable string, fits in one varint byte. Such a
    // string is encoded straight after a reserved prefix byte in one pass, instead of counting its bytes first.
    private const int MaxOneBytePrefixChars = 42;

    private readonly IBufferWriter<byte> _output;

    /// <summary>Writes to <paramref name="output"/>.</summary>
    public WireWriter(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _output = output;
    }

    /// <summary>One byte.</summary>
    public readonly void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }

    /// <summary>A little-endian 32-bit integer.</summary>
    public readonly void WriteInt32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_output.GetSpan(4), value);
        _output.Advance(4);
    }

    /// <summary>A little-endian 64-bit integer.</summary>
    public readonly void WriteInt64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_output.GetSpan(8), value);
        _output.Advance(8);
    }

    /// <summary>An unsigned integer in 1–5 bytes (LEB128): small counts and lengths cost one byte.</summary>
    public readonly void WriteVarUInt32(uint value)
    {
        var span = _output.GetSpan(5);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        _output.Advance(i);
    }

    /// <summary>
    /// A string as its UTF-8 byte count (varint) and bytes. Null is not allowed: use <see cref="WriteNullableString"/>.
    /// A lone surrogate (ill-formed UTF-16, which no HTTP input can produce) is written as U+FFFD.
    /// </summary>
    public readonly void WriteString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length <= MaxOneBytePrefixChars)
        {
            WriteShortString(value, prefixBias: 0);
            return;
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt32((uint)byteCount);
        var written = Encoding.UTF8.GetBytes(value, _output.GetSpan(byteCount));
        _output.Advance(written);
    }

    /// <summary>A string that may be null: its byte count plus one (0 for null) and its UTF-8 bytes.</summary>
    public readonly void WriteNullableString(string? value)
    {
        if (value is null)
        {
            WriteVarUInt32(0);
            return;
        }

        if (value.Length <= MaxOneBytePrefixChars)
        {
            WriteShortString(value, prefixBias: 1);
            return;
        }

        var byteCount = Encoding.UTF8.GetByteCount(value);
        WriteVarUInt32((uint)byteCount + 1);
        var written = Encoding.UTF8.GetBytes(value, _output.GetSpan(byteCount));
        _output.Advance(written);
    }

    /// <summary>A byte run as its length (varint) and bytes.</summary>
    public readonly void WriteBytes(ReadOnlySpan<byte> value)
    {
        WriteVarUInt32((uint)value.Length);
        WriteRaw(value);
    }

    /// <summary>Bytes as they are, with no length (the reader must know it, e.g. the rest of a frame).</summary>
    public readonly void WriteRaw(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return;
        }

        value.CopyTo(_output.GetSpan(value.Length));
        _output.Advance(value.Length);
    }

    private readonly void WriteShortString(string value, int prefixBias)
    {
        var span = _output.GetSpan(1 + (value.Length * 3));
        var written = Encoding.UTF8.GetBytes(value, span[1..]);
        span[0] = (byte)(written + prefixBias);
        _output.Advance(1 + written);
    }
}
