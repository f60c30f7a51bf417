namespace Cluster.Runtime.Messaging;

/// <summary>
/// Confirmed one-way notices from this silo to every process that may hold state learned from it: its own receivers
/// (<see cref="IBroadcastReceiver"/>) and every process connected to its cluster listener (gateways and other silos).
/// Used where "done" must mean "everyone that could have a copy dropped it", e.g. a cache invalidation.
/// </summary>
public interface IClusterBroadcast
{
    /// <summary>
    /// Delivers <paramref name="payload"/> under <paramref name="topic"/> to this process's receivers of the topic and to
    /// every connected peer, and completes when each has acknowledged (a peer acknowledges after its receivers returned;
    /// one with no receiver of the topic acknowledges at once). A peer whose connection closes meanwhile counts as done,
    /// because a process drops what it learned from a silo when its connection to that silo closes
    /// (<see cref="Networking.IConnectionLossObserver"/>). A peer that does not acknowledge within
    /// <c>Cluster:Messaging:BroadcastTimeout</c> has its connection closed, for the same reason, and counts as done.
    /// </summary>
    /// <param name="topic">The topic (a short ASCII name, e.g. <c>route-cache.near.v1</c>).</param>
    /// <param name="payload">The notice; at most <c>Cluster:Messaging:MaxFrameSize</c> minus a small header.</param>
    /// <param name="cancellationToken">Abandons the wait (notices already sent stay sent).</param>
    /// <returns>How many peers acknowledged (not counting this process and closed connections).</returns>
    Task<int> BroadcastAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}
