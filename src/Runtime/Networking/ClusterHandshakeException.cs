namespace Cluster.Runtime.Networking;

/// <summary>A handshake failed on the connecting side: the listener refused it, or could not prove the cluster secret.</summary>
internal sealed class ClusterHandshakeException : Exception
{
    public ClusterHandshakeException(HandshakeRefusal reason, string message)
        : base(message)
        => Reason = reason;

    /// <summary>Why.</summary>
    public HandshakeRefusal Reason { get; }
}
