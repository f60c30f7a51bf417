using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Networking;

/// <summary>A status report on a long request, sent by the silo running it (allocated only for such requests).</summary>
internal sealed class RequestStatusFrame : OutboundFrame
{
    private readonly long _correlationId;
    private readonly RequestProgress _progress;
    private readonly uint _elapsedMilliseconds;
    private readonly string _silo;

    public RequestStatusFrame(long correlationId, RequestProgress progress, uint elapsedMilliseconds, string silo)
    {
        _correlationId = correlationId;
        _progress = progress;
        _elapsedMilliseconds = elapsedMilliseconds;
        _silo = silo;
    }

    /// <inheritdoc />
    public override bool Write(ClusterConnection connection, FrameWriter writer, long timestamp)
    {
        var wire = new WireWriter(writer);
        wire.WriteByte((byte)FrameKind.Status);
        wire.WriteInt64(_correlationId);
        wire.WriteByte((byte)_progress);
        wire.WriteVarUInt32(_elapsedMilliseconds);
        wire.WriteString(_silo);
        return true;
    }
}
