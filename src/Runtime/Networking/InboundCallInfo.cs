namespace Cluster.Runtime.Networking;

/// <summary>What the caller of a network request told the target besides the request itself.</summary>
/// <param name="CallerViewVersion">The membership version the caller chose this silo by.</param>
/// <param name="Caller">The caller's identity from the handshake (a silo address, or a gateway's client id).</param>
public readonly record struct InboundCallInfo(int CallerViewVersion, string Caller);
