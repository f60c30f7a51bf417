using System.Buffers;
using System.Text;

namespace Cluster.Runtime.Serialization;

/// <summary>
/// Reads what <see cref="WireWriter"/> wrote. Every length is checked against what is left and against the caller's
/// limit before anything is allocated, so a hostile length prefix costs nothing; every failure is an
/// <see cref="InvalidDataException"/> (the connection that sent it is closed, nothing else).
/// </summary>
public ref struct WireReader
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private SequenceReader<byte> _reader;

    /// <summary>Reads from <paramref name="input"/>.</summary>
    public WireReader(ReadOnlySequence<byte> input) => _reader = new SequenceReader<byte>(input);

    /// <summary>Bytes not read yet.</summary>
    public readonly long Remaining => _reader.Remaining;

    /// <summary>Whether everything has been read.</summary>
    public readonly bool End => _reader.End;

    /// <summary>What is left, unread.</summary>
    public readonly ReadOnlySequence<byte> UnreadSequence => _reader.UnreadSequence;

    /// <summary>One byte.</summary>
    public byte ReadByte() => _reader.TryRead(out var value) ? value : throw Truncated();

    /// <summary>A little-endian 32-bit integer.</summary>
    public int ReadInt32() => _reader.TryReadLittleEndian(out int value) ? value : throw Truncated();

    /// <summary>A little-endian 64-bit integer.</summary>
    public long ReadInt64() => _reader.TryReadLittleEndian(out long value) ? value : throw Truncated();

    /// <summary>An unsigned LEB128 integer of at most 5 bytes.</summary>
    public uint ReadVarUInt32()
    {
        uint result = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            var b = ReadByte();
            if (shift == 28 && b > 0x0F)
            {
                throw new InvalidDataException("A variable-length integer does not fit in 32 bits.");
            }

            result |= (uint)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return result;
            }
        }

        throw new InvalidDataException("A variable-length integer is longer than 5 bytes.");
    }

    /// <summary>A length-prefixed UTF-8 string of at most <paramref name="maxBytes"/> bytes.</summary>
    public string ReadString(int maxBytes)
    {
        var length = ReadLength(maxBytes);
        return DecodeUtf8(length);
    }

    /// <summary>A string written by <see cref="WireWriter.WriteNullableString"/>, at most <paramref name="maxBytes"/> bytes.</summary>
    public string? ReadNullableString(int maxBytes)
    {
        var prefix = ReadVarUInt32();
        if (prefix == 0)
        {
            return null;
        }

        var length = prefix - 1;
        if (length > (uint)maxBytes || length > _reader.Remaining)
        {
            throw new InvalidDataException($"A string of {length} bytes is longer than allowed ({maxBytes}) or than what is left.");
        }

        return DecodeUtf8((int)length);
    }

    /// <summary>A length-prefixed byte run of at most <paramref name="maxBytes"/> bytes, copied out.</summary>
    public byte[] ReadBytes(int maxBytes)
    {
        var length = ReadLength(maxBytes);
        if (length == 0)
        {
            return [];
        }

        var bytes = new byte[length];
        _reader.TryCopyTo(bytes);
        _reader.Advance(length);
        return bytes;
    }

    /// <summary>A count (of items to follow) of at most <paramref name="max"/>.</summary>
    public int ReadCount(int max)
    {
        var count = ReadVarUInt32();
        return count > (uint)max
            ? throw new InvalidDataException($"A count of {count} is over the limit of {max}.")
            : (int)count;
    }

    /// <summary>
    /// A count (of items to follow) of at most <paramref name="max"/>, where each item takes at least
    /// <paramref name="minItemBytes"/> bytes: a count that what is left cannot hold is rejected before the caller sizes
    /// an array by it, so a few hostile bytes cannot make the reader allocate a large array.
    /// </summary>
    public int ReadCount(int max, int minItemBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minItemBytes);
        var count = ReadCount(max);
        return (long)count * minItemBytes > _reader.Remaining
            ? throw new InvalidDataException($"A count of {count} items does not fit in the {_reader.Remaining} bytes left.")
            : count;
    }

    /// <summary>Throws unless everything has been read (trailing bytes mean the writer and reader disagree).</summary>
    public readonly void EnsureEnd()
    {
        if (!_reader.End)
        {
            throw new InvalidDataException($"{_reader.Remaining} unexpected bytes after the end of the value.");
        }
    }

    private int ReadLength(int maxBytes)
    {
        var length = ReadVarUInt32();
        if (length > (uint)maxBytes || length > _reader.Remaining)
        {
            throw new InvalidDataException($"A length of {length} bytes is longer than allowed ({maxBytes}) or than what is left.");
        }

        return (int)length;
    }

    private string DecodeUtf8(int length)
    {
        if (length == 0)
        {
            return string.Empty;
        }

        try
        {
            string value;
            if (_reader.UnreadSpan.Length >= length)
            {
                value = s_strictUtf8.GetString(_reader.UnreadSpan[..length]);
            }
            else
            {
                value = s_strictUtf8.GetString(_reader.UnreadSequence.Slice(0, length));
            }

            _reader.Advance(length);
            return value;
        }
        catch (DecoderFallbackException ex)
        {
            throw new InvalidDataException("A string is not valid UTF-8.", ex);
        }
    }

    private static InvalidDataException Truncated() => new("The value ends before it should (truncated input).");
}
