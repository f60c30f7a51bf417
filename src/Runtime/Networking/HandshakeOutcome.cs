namespace Cluster.Runtime.Networking;

/// <summary>How a listener's side of a handshake ended.</summary>
/// <param name="Refusal">Why it was refused, or <see cref="HandshakeRefusal.None"/>.</param>
/// <param name="PeerIdentity">The identity the connector stated (if it got that far).</param>
/// <param name="Detail">A short explanation for the log (never a secret).</param>
internal readonly record struct HandshakeOutcome(HandshakeRefusal Refusal, string? PeerIdentity, string? Detail);
