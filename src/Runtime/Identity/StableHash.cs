using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Cluster.Runtime.Identity;

/// <summary>
/// xxHash32 (Yann Collet's specification), written here because System.IO.Hashing cannot be restored. Every hash that
/// must agree across processes, machines and restarts (grain ids, ring positions, buckets) comes from here and never
/// from <see cref="string.GetHashCode()"/>, which is randomised per process.
/// </summary>
public static class StableHash
{
    private const uint Prime1 = 2654435761U;
    private const uint Prime2 = 2246822519U;
    private const uint Prime3 = 3266489917U;
    private const uint Prime4 = 668265263U;
    private const uint Prime5 = 374761393U;

    // Keys are short (route patterns, ids): below this many UTF-8 bytes the text is encoded on the stack.
    private const int StackallocThreshold = 256;

    /// <summary>The xxHash32 of <paramref name="data"/> with <paramref name="seed"/>.</summary>
    public static uint XxHash32(ReadOnlySpan<byte> data, uint seed = 0)
    {
        var length = data.Length;
        uint hash;
        if (length >= 16)
        {
            var v1 = seed + Prime1 + Prime2;
            var v2 = seed + Prime2;
            var v3 = seed;
            var v4 = seed - Prime1;
            do
            {
                v1 = Round(v1, BinaryPrimitives.ReadUInt32LittleEndian(data));
                v2 = Round(v2, BinaryPrimitives.ReadUInt32LittleEndian(data[4..]));
                v3 = Round(v3, BinaryPrimitives.ReadUInt32LittleEndian(data[8..]));
                v4 = Round(v4, BinaryPrimitives.ReadUInt32LittleEndian(data[12..]));
                data = data[16..];
            }
            while (data.Length >= 16);

            hash = BitOperations.RotateLeft(v1, 1) + BitOperations.RotateLeft(v2, 7)
                + BitOperations.RotateLeft(v3, 12) + BitOperations.RotateLeft(v4, 18);
        }
        else
        {
            hash = seed + Prime5;
        }

        hash += (uint)length;

        while (data.Length >= 4)
        {
            hash += BinaryPrimitives.ReadUInt32LittleEndian(data) * Prime3;
            hash = BitOperations.RotateLeft(hash, 17) * Prime4;
            data = data[4..];
        }

        foreach (var b in data)
        {
            hash += b * Prime5;
            hash = BitOperations.RotateLeft(hash, 11) * Prime1;
        }

        hash ^= hash >> 15;
        hash *= Prime2;
        hash ^= hash >> 13;
        hash *= Prime3;
        hash ^= hash >> 16;
        return hash;
    }

    /// <summary>The xxHash32 (seed 0) of the UTF-8 bytes of <paramref name="text"/>.</summary>
    public static uint Compute(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (maxBytes <= StackallocThreshold)
        {
            Span<byte> buffer = stackalloc byte[StackallocThreshold];
            var written = Encoding.UTF8.GetBytes(text, buffer);
            return XxHash32(buffer[..written]);
        }

        var rented = ArrayPool<byte>.Shared.Rent(maxBytes);
        try
        {
            var written = Encoding.UTF8.GetBytes(text, rented);
            return XxHash32(rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Round(uint accumulator, uint lane)
    {
        accumulator += lane * Prime2;
        return BitOperations.RotateLeft(accumulator, 13) * Prime1;
    }
}
