using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Cluster.Grains.Caching;
using Cluster.Runtime.Serialization;

namespace Cluster.Grains.Wire;

/// <summary>
/// Writes and reads the request and the answer of an on-demand revalidation (message <see cref="MessageName"/>): a
/// <see cref="RouteCacheInvalidation"/> from whoever revalidates to the route's owner, and the owner's
/// <see cref="RouteCacheInvalidationResult"/> once it dropped its entries. The layout is in this folder's README.
/// </summary>
internal sealed class RouteCacheInvalidationCodec : IWireCodec<RouteCacheInvalidation>, IWireCodec<RouteCacheInvalidationResult>
{
    /// <summary>The message type name of a revalidation call.</summary>
    public const string MessageName = "route-cache.invalidate.v1";

    /// <summary>
    /// The longest path, in UTF-8 bytes. The same as a near-cache invalidation's limit, so a path an owner accepts is
    /// one it can pass on to the gateways; far above any path a gateway routes (its URL limit is a few KiB).
    /// </summary>
    public const int MaxPathBytes = 64 * 1024;

    private const byte FormatVersion = 1;

    // A path of at most this many chars is at most MaxPathBytes in UTF-8 (3 bytes per char at worst).
    private const int MaxUncheckedPathChars = MaxPathBytes / 3;

    private RouteCacheInvalidationCodec()
    {
    }

    /// <summary>The codec (it has no state).</summary>
    public static RouteCacheInvalidationCodec Instance { get; } = new();

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The path is empty or longer than <see cref="MaxPathBytes"/>.</exception>
    public void Write(RouteCacheInvalidation value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(value);
        var path = value.Path;
        if (path is not null)
        {
            CheckPath(path);
        }

        var writer = new WireWriter(output);
        writer.WriteByte(FormatVersion);
        writer.WriteNullableString(path);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException"><see cref="RouteCacheInvalidationResult.Dropped"/> is negative.</exception>
    public void Write(RouteCacheInvalidationResult value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfNegative(value.Dropped, nameof(value));
        var writer = new WireWriter(output);
        writer.WriteByte(FormatVersion);
        writer.WriteVarUInt32((uint)value.Dropped);
    }

    /// <inheritdoc />
    RouteCacheInvalidation IWireCodec<RouteCacheInvalidation>.Read(ReadOnlySequence<byte> input) => ReadInvalidation(input);

    /// <inheritdoc />
    RouteCacheInvalidationResult IWireCodec<RouteCacheInvalidationResult>.Read(ReadOnlySequence<byte> input) => ReadResult(input);

    /// <summary>Reads a <see cref="RouteCacheInvalidation"/> from the whole of <paramref name="input"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid invalidation.</exception>
    public static RouteCacheInvalidation ReadInvalidation(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        ReadVersion(ref reader, "route cache invalidation");
        var path = reader.ReadNullableString(MaxPathBytes);
        if (path is { Length: 0 })
        {
            throw new InvalidDataException("A route cache invalidation has an empty path (a whole route is a null path).");
        }

        reader.EnsureEnd();
        return new RouteCacheInvalidation { Path = path };
    }

    /// <summary>Reads a <see cref="RouteCacheInvalidationResult"/> from the whole of <paramref name="input"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a valid result.</exception>
    public static RouteCacheInvalidationResult ReadResult(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        ReadVersion(ref reader, "route cache invalidation result");
        var dropped = reader.ReadVarUInt32();
        if (dropped > int.MaxValue)
        {
            throw new InvalidDataException($"A route cache invalidation result counts {dropped} dropped entries, more than an owner can hold.");
        }

        reader.EnsureEnd();
        return new RouteCacheInvalidationResult { Dropped = (int)dropped };
    }

    private static void ReadVersion(ref WireReader reader, string message)
    {
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            ThrowUnknownVersion(message, version);
        }
    }

    // The writer refuses what the reader would, so a bad path fails its own call instead of closing the connection.
    private static void CheckPath(string path)
    {
        if (path.Length == 0)
        {
            throw new ArgumentException("The path to invalidate is empty; use a null path for every entry of the route.", nameof(path));
        }

        if (path.Length > MaxUncheckedPathChars && Encoding.UTF8.GetByteCount(path) is var bytes && bytes > MaxPathBytes)
        {
            throw new ArgumentException(
                $"The path to invalidate is {bytes} UTF-8 bytes long; a revalidation call carries at most {MaxPathBytes}.", nameof(path));
        }
    }

    [DoesNotReturn]
    private static void ThrowUnknownVersion(string message, byte version) =>
        throw new InvalidDataException($"A {message} is in format version {version}; this build reads version {FormatVersion}.");
}
