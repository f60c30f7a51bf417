using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Networking;

/// <summary>A <see cref="FrameKind.BroadcastAck"/>: the receivers of the broadcast with this id have run.</summary>
internal sealed class BroadcastAckFrame : OutboundFrame
{
    private readonly long _id;

    public BroadcastAckFrame(long id) => _id = id;

    /// <inheritdoc />
    public override bool Write(ClusterConnection connection, FrameWriter writer, long timestamp)
    {
        var wire = new WireWriter(writer);
        wire.WriteByte((byte)FrameKind.BroadcastAck);
        wire.WriteInt64(_id);
        return true;
    }
}
