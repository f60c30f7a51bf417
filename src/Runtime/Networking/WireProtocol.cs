namespace Cluster.Runtime.Networking;

/// <summary>
/// The constants of the cluster protocol (README.md beside this file describes the format). Every limit on a read is
/// checked before anything is allocated, so a hostile peer costs at most what it sends.
/// </summary>
internal static class WireProtocol
{
    /// <summary>
    /// The protocol version in the handshake; a peer with another version is refused. Version 2 added the
    /// <see cref="FrameKind.Status"/> and <see cref="FrameKind.ChainedRequest"/> frames, version 3 the
    /// <see cref="FrameKind.Broadcast"/> and <see cref="FrameKind.BroadcastAck"/> frames, version 4 the
    /// <see cref="FrameKind.TracedRequest"/> frame; an older peer would treat them as malformed (and a silo waiting for
    /// its acknowledgement would have to time it out).
    /// </summary>
    public const int ProtocolVersion = 4;

    /// <summary>"CLTR" as little-endian bytes: the first field of a hello, so a stray client is spotted at once.</summary>
    public const uint Magic = 0x52544C43;

    /// <summary>The 4-byte little-endian length that precedes every frame body.</summary>
    public const int FramePrefixSize = 4;

    /// <summary>Handshake frames are tiny; a larger length prefix before the handshake ends is hostile.</summary>
    public const int MaxHandshakeFrameSize = 4096;

    /// <summary>The size of each side's random challenge.</summary>
    public const int NonceSize = 32;

    /// <summary>The size of an HMAC-SHA256 proof.</summary>
    public const int ProofSize = 32;

    /// <summary>A peer's identity: a silo address or a name such as <c>gateway/&lt;guid&gt;</c>.</summary>
    public const int MaxIdentityBytes = 512;

    /// <summary>A cluster id.</summary>
    public const int MaxClusterIdBytes = 256;

    /// <summary>A grain message type name (e.g. <c>route.v1</c>).</summary>
    public const int MaxMessageNameBytes = 256;

    /// <summary>A grain type name.</summary>
    public const int MaxGrainTypeBytes = 1024;

    /// <summary>A grain key (a route pattern is far shorter).</summary>
    public const int MaxGrainKeyBytes = 64 * 1024;

    /// <summary>The type name of an exception sent back to a caller.</summary>
    public const int MaxExceptionTypeBytes = 1024;

    /// <summary>
    /// The message of an exception sent back to a caller, in bytes; the sender cuts messages to
    /// <see cref="MaxExceptionMessageChars"/> characters so they always fit.
    /// </summary>
    public const int MaxExceptionMessageBytes = 16 * 1024;

    /// <summary>The longest exception message sent, in characters (at most 3 UTF-8 bytes each).</summary>
    public const int MaxExceptionMessageChars = MaxExceptionMessageBytes / 3;

    /// <summary>The reason text of a rejection.</summary>
    public const int MaxReasonBytes = 4096;

    /// <summary>
    /// The longest probe an indirect probe may ask an intermediary for, in milliseconds; a longer request is malformed,
    /// so a peer cannot make a silo hold a probe open for long.
    /// </summary>
    public const int MaxIndirectProbeTimeoutMilliseconds = 60_000;

    /// <summary>The topic of a broadcast (e.g. <c>route-cache.near.v1</c>).</summary>
    public const int MaxTopicBytes = 256;

    /// <summary>
    /// The most a broadcast frame's header takes besides its topic: the kind byte, the 64-bit id and the topic's length
    /// prefix (a varint of at most 2 bytes for <see cref="MaxTopicBytes"/>).
    /// </summary>
    public const int BroadcastHeaderBytes = 1 + 8 + 2;
}
