using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Networking;

/// <summary>
/// Told when a connection this process opened to a silo closes after its handshake succeeded (the silo died, left, or
/// closed it, e.g. because a broadcast went unacknowledged). Whatever a process learned over that connection and keeps
/// — a near-cache of the silo's responses — must be dropped here, before anything else can read it. Register as a
/// singleton <c>IConnectionLossObserver</c>.
/// </summary>
public interface IConnectionLossObserver
{
    /// <summary>Called once per lost connection, on the transport's thread; keep it short and never block.</summary>
    void OnConnectionLost(SiloAddress silo);
}
