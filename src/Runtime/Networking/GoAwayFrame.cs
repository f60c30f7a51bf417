using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Networking;

/// <summary>A <see cref="FrameKind.GoAway"/> frame; it carries nothing, so one instance serves every connection.</summary>
internal sealed class GoAwayFrame : OutboundFrame
{
    private GoAwayFrame()
    {
    }

    /// <summary>The frame.</summary>
    public static GoAwayFrame Instance { get; } = new();

    /// <inheritdoc />
    public override bool Write(ClusterConnection connection, FrameWriter writer, long timestamp)
    {
        new WireWriter(writer).WriteByte((byte)FrameKind.GoAway);
        return true;
    }
}
