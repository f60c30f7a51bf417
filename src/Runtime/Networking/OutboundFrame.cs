namespace Cluster.Runtime.Networking;

/// <summary>
/// Something a connection's writer loop writes: a request, a response, a ping, a notice. Queued on the connection's
/// channel and written by its single writer, which batches many frames per flush.
/// </summary>
internal abstract class OutboundFrame
{
    /// <summary>
    /// Writes the frame's body (everything after the length prefix) to <paramref name="writer"/>. Returns
    /// <see langword="false"/> to send nothing (e.g. a call that timed out while queued).
    /// </summary>
    /// <param name="connection">The connection writing it.</param>
    /// <param name="writer">The frame, begun; the caller commits it.</param>
    /// <param name="timestamp">The <see cref="TimeProvider"/> timestamp of this batch.</param>
    public abstract bool Write(ClusterConnection connection, FrameWriter writer, long timestamp);

    /// <summary>Writing threw or produced a frame over the size limit; nothing of the frame was sent.</summary>
    public virtual void OnWriteFailed(ClusterConnection connection, Exception exception)
    {
    }
}
