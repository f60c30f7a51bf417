namespace Cluster.Runtime.Networking;

/// <summary>The first byte of every frame body after the handshake.</summary>
internal enum FrameKind : byte
{
    /// <summary>A grain call: header, message type, grain id, then the request codec's bytes.</summary>
    Request = 1,

    /// <summary>The answer to a request, by correlation id, with a <see cref="ResponseStatus"/>.</summary>
    Response = 2,

    /// <summary>A liveness probe on the data connection.</summary>
    Ping = 3,

    /// <summary>The answer to a ping, naming the responder's silo address.</summary>
    Pong = 4,

    /// <summary>One-way: the membership table reached a version; refresh now.</summary>
    MembershipNotice = 5,

    /// <summary>
    /// The listener is closing this connection: send no new requests on it, and send <see cref="GoAway"/> back after the
    /// last one (the listener answers everything it has read, then closes).
    /// </summary>
    GoAway = 6,

    /// <summary>
    /// Listener to connector: a request has been running or waiting for a while (the connector keeps the latest report
    /// per call for its timeout message; it does not extend the timeout).
    /// </summary>
    Status = 7,

    /// <summary>A <see cref="Request"/> made inside a call-chain reentrancy scope: the same fields plus the chain's id.</summary>
    ChainedRequest = 8,

    /// <summary>
    /// An indirect probe: the receiving silo probes the named silo itself (with the given timeout) and answers with a
    /// <see cref="Pong"/> naming that silo if it answered, or no silo if it did not.
    /// </summary>
    IndirectPing = 9,

    /// <summary>
    /// Listener to connector: a confirmed one-way notice under a topic (e.g. a cache invalidation). The connector runs its
    /// receivers of the topic, then answers <see cref="BroadcastAck"/>.
    /// </summary>
    Broadcast = 10,

    /// <summary>Connector to listener: the receivers of a <see cref="Broadcast"/> have run.</summary>
    BroadcastAck = 11,

    /// <summary>
    /// A <see cref="Request"/> that carries its caller's W3C trace context, plus <see cref="TracedRequestOptions"/> saying
    /// whether a call-chain id follows too (the traced form of <see cref="ChainedRequest"/>). Untraced requests keep the
    /// shorter forms.
    /// </summary>
    TracedRequest = 12,
}
