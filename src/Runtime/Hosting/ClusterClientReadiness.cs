using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Hosting;

/// <summary>
/// The readiness of a process that is a cluster client only (a gateway without a silo): ready while it has started,
/// is not stopping, and its membership view holds at least one Active silo to send calls to.
/// </summary>
internal sealed class ClusterClientReadiness : IClusterReadiness
{
    private readonly IClusterMembership _membership;
    private int _state; // 0 starting, 1 started, 2 stopping

    public ClusterClientReadiness(IClusterMembership membership) => _membership = membership;

    public bool IsReady => Volatile.Read(ref _state) == 1 && !_membership.Current.ActiveSilos.IsEmpty;

    public string State => Volatile.Read(ref _state) switch
    {
        0 => "Starting",
        1 when _membership.Current.ActiveSilos.IsEmpty => "NoActiveSilo",
        1 => "Active",
        _ => "ShuttingDown",
    };

    public void MarkStarted() => Interlocked.CompareExchange(ref _state, 1, 0);

    public void MarkStopping() => Volatile.Write(ref _state, 2);
}
