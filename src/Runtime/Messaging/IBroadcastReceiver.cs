namespace Cluster.Runtime.Messaging;

/// <summary>
/// Receives the notices of one topic sent with <see cref="IClusterBroadcast.BroadcastAsync"/> by a silo this process is
/// connected to (or by this process itself). Register as a singleton <c>IBroadcastReceiver</c>; several per topic are fine.
/// </summary>
public interface IBroadcastReceiver
{
    /// <summary>The topic this receiver handles.</summary>
    string Topic { get; }

    /// <summary>
    /// Handles one notice. Runs on the connection's read loop (or the sender's thread, in process), and the sender's
    /// acknowledgement is sent when it returns: keep it short and never block. An exception is logged and still
    /// acknowledged, so a receiver must not throw after it half-applied a notice.
    /// </summary>
    void OnBroadcast(ReadOnlySpan<byte> payload);
}
