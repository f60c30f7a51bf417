namespace Cluster.Runtime.Networking;

/// <summary>The first byte of each handshake frame.</summary>
internal enum HandshakeMessage : byte
{
    /// <summary>Connector → listener: magic, version, cluster id, own identity, the silo it expects, its nonce.</summary>
    Hello = 1,

    /// <summary>Listener → connector: the listener's identity, its nonce and its proof of the secret.</summary>
    Challenge = 2,

    /// <summary>Connector → listener: the connector's proof of the secret.</summary>
    Proof = 3,

    /// <summary>Listener → connector: frames may flow.</summary>
    Accepted = 4,

    /// <summary>Listener → connector: a <see cref="HandshakeRefusal"/>; the listener closes the connection.</summary>
    Refused = 5,
}
