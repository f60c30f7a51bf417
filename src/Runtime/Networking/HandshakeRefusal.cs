namespace Cluster.Runtime.Networking;

/// <summary>Why a handshake was refused: the short reason code sent to the connector and logged by both sides.</summary>
internal enum HandshakeRefusal : byte
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>The peers speak different protocol versions.</summary>
    ProtocolVersion = 1,

    /// <summary>The peers belong to different clusters (<c>Cluster:ClusterId</c>).</summary>
    ClusterId = 2,

    /// <summary>The listener is not the silo the connector asked for (another address or generation: a restarted silo).</summary>
    WrongSilo = 3,

    /// <summary>The listening process has no silo identity (yet).</summary>
    NotASilo = 4,

    /// <summary>The listener is stopping.</summary>
    ShuttingDown = 5,

    /// <summary>A proof of <c>Cluster:Secret</c> was wrong.</summary>
    AuthenticationFailed = 6,

    /// <summary>A handshake frame was malformed, or the peer is not speaking this protocol.</summary>
    Malformed = 7,

    /// <summary>The handshake did not finish within <c>Cluster:Messaging:ConnectTimeout</c>.</summary>
    TimedOut = 8,
}
