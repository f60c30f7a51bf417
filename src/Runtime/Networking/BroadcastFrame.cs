using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Networking;

/// <summary>
/// A <see cref="FrameKind.Broadcast"/>: id, topic, then the payload as the rest of the frame. Immutable, so one instance
/// is queued on every inbound connection of the broadcasting silo.
/// </summary>
internal sealed class BroadcastFrame : OutboundFrame
{
    private readonly byte[] _topicUtf8;
    private readonly ReadOnlyMemory<byte> _payload;

    /// <param name="id">The broadcast's id (unique per transport, so per connection).</param>
    /// <param name="topicUtf8">The topic, already UTF-8 and within <see cref="WireProtocol.MaxTopicBytes"/>.</param>
    /// <param name="payload">The notice; a copy the caller no longer touches (frames may outlive the caller's wait).</param>
    public BroadcastFrame(long id, byte[] topicUtf8, ReadOnlyMemory<byte> payload)
    {
        Id = id;
        _topicUtf8 = topicUtf8;
        _payload = payload;
    }

    /// <summary>The broadcast's id, which the acknowledgement carries.</summary>
    public long Id { get; }

    /// <inheritdoc />
    public override bool Write(ClusterConnection connection, FrameWriter writer, long timestamp)
    {
        var wire = new WireWriter(writer);
        wire.WriteByte((byte)FrameKind.Broadcast);
        wire.WriteInt64(Id);
        wire.WriteBytes(_topicUtf8);
        wire.WriteRaw(_payload.Span);
        return true;
    }

    /// <inheritdoc />
    public override void OnWriteFailed(ClusterConnection connection, Exception exception)
        => connection.OnBroadcastNotWritten(this, exception);
}
