using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Networking;

/// <summary>A one-way <see cref="FrameKind.MembershipNotice"/>; immutable, so one instance is queued on every connection.</summary>
internal sealed class MembershipNoticeFrame : OutboundFrame
{
    private readonly int _version;

    public MembershipNoticeFrame(int version) => _version = version;

    /// <inheritdoc />
    public override bool Write(ClusterConnection connection, FrameWriter writer, long timestamp)
    {
        var wire = new WireWriter(writer);
        wire.WriteByte((byte)FrameKind.MembershipNotice);
        wire.WriteInt32(_version);
        return true;
    }
}
