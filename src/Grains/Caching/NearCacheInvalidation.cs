using System.Buffers;
using Cluster.Runtime.Serialization;

namespace Cluster.Grains.Caching;

/// <summary>
/// What an owner tells every gateway before it confirms an invalidation (broadcast topic <see cref="Topic"/>): drop
/// your copy of one path of a route, or of all its paths. A gateway acknowledges only after it dropped them.
/// </summary>
public readonly record struct NearCacheInvalidation(string Pattern, string? Path)
{
    /// <summary>The broadcast topic of near-cache invalidations.</summary>
    public const string Topic = "route-cache.near.v1";

    private const byte FormatVersion = 1;
    private const int MaxStringBytes = 64 * 1024;

    /// <summary>Writes the invalidation as a broadcast payload.</summary>
    public byte[] ToPayload()
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        var writer = new WireWriter(buffer);
        writer.WriteByte(FormatVersion);
        writer.WriteString(Pattern);
        writer.WriteNullableString(Path);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a payload written by <see cref="ToPayload"/>.</summary>
    /// <exception cref="InvalidDataException">The payload is malformed or of another format version.</exception>
    public static NearCacheInvalidation FromPayload(ReadOnlySpan<byte> payload)
    {
        var reader = new WireReader(new ReadOnlySequence<byte>(payload.ToArray()));
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"A near-cache invalidation has format version {version}; this process reads {FormatVersion}.");
        }

        var pattern = reader.ReadString(MaxStringBytes);
        var path = reader.ReadNullableString(MaxStringBytes);
        reader.EnsureEnd();
        return new NearCacheInvalidation(pattern, path);
    }
}
