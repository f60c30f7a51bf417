using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Networking;

/// <summary>
/// The answer to a ping: its correlation id and this process's silo address (null if it is not a silo), so a probe that
/// reached another generation on the same endpoint fails.
/// </summary>
internal sealed class PongFrame : OutboundFrame
{
    private readonly long _correlationId;
    private readonly string? _siloAddress;

    public PongFrame(long correlationId, string? siloAddress)
    {
        _correlationId = correlationId;
        _siloAddress = siloAddress;
    }

    /// <inheritdoc />
    public override bool Write(ClusterConnection connection, FrameWriter writer, long timestamp)
    {
        var wire = new WireWriter(writer);
        wire.WriteByte((byte)FrameKind.Pong);
        wire.WriteInt64(_correlationId);
        wire.WriteNullableString(_siloAddress);
        return true;
    }
}
