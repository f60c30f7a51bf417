namespace Cluster.Runtime.Networking;

/// <summary>
/// The options byte of a <see cref="FrameKind.TracedRequest"/>: which optional fields follow it. Bits not defined here
/// are reserved and make the frame malformed, so a later version can give them a meaning without being misread.
/// </summary>
[Flags]
internal enum TracedRequestOptions : byte
{
    /// <summary>Only the trace context follows.</summary>
    None = 0,

    /// <summary>A call-chain id (non-zero <c>i64</c>) follows before the trace context, as in a <see cref="FrameKind.ChainedRequest"/>.</summary>
    CallChain = 1,
}
