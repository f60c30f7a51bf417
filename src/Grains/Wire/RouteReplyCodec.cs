using System.Buffers;
using Cluster.Grains.Caching;
using Cluster.Runtime.Serialization;

namespace Cluster.Grains.Wire;

/// <summary>
/// Writes and reads a <see cref="RouteReply"/> (the answer to a <see cref="RouteWireMessages.Name"/> call): the cache
/// outcome, the near-cache lifetime, then the response exactly as <see cref="RouteResponseCodec"/> writes it. The layout
/// is in this folder's README.
/// </summary>
public sealed class RouteReplyCodec : IWireCodec<RouteReply>
{
    private const byte FormatVersion = 1;

    // FreshFor travels in whole milliseconds; this value means "until invalidated".
    private const uint FreshUntilInvalidated = uint.MaxValue;

    private RouteReplyCodec()
    {
    }

    /// <summary>The codec (it has no state).</summary>
    public static RouteReplyCodec Instance { get; } = new();

    /// <inheritdoc />
    public void Write(RouteReply value, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(value.Response);
        var writer = new WireWriter(output);
        writer.WriteByte(FormatVersion);
        writer.WriteByte((byte)value.Cache);
        writer.WriteVarUInt32(EncodeFreshFor(value.FreshFor));
        RouteResponseCodec.Instance.Write(value.Response, output);
    }

    /// <inheritdoc />
    public RouteReply Read(ReadOnlySequence<byte> input)
    {
        var reader = new WireReader(input);
        var version = reader.ReadByte();
        if (version != FormatVersion)
        {
            throw new InvalidDataException($"A route reply has format version {version}; this process reads {FormatVersion}.");
        }

        var cache = reader.ReadByte();
        if (cache > (byte)RouteCacheStatus.Miss)
        {
            throw new InvalidDataException($"A route reply has the unknown cache status {cache}.");
        }

        var freshFor = DecodeFreshFor(reader.ReadVarUInt32());
        var response = RouteResponseCodec.Instance.Read(reader.UnreadSequence);
        return new RouteReply(response, (RouteCacheStatus)cache, freshFor);
    }

    private static uint EncodeFreshFor(TimeSpan freshFor)
    {
        if (freshFor == Timeout.InfiniteTimeSpan)
        {
            return FreshUntilInvalidated;
        }

        if (freshFor <= TimeSpan.Zero)
        {
            return 0;
        }

        // Rounded down, so a gateway never keeps a copy longer than the owner allowed; capped below "until invalidated".
        return (uint)Math.Min(freshFor.Ticks / TimeSpan.TicksPerMillisecond, FreshUntilInvalidated - 1);
    }

    private static TimeSpan DecodeFreshFor(uint milliseconds) => milliseconds == FreshUntilInvalidated
        ? Timeout.InfiniteTimeSpan
        : TimeSpan.FromMilliseconds(milliseconds);
}
