namespace Cluster.Gateway.Dashboard;

/// <summary>
/// One silo of the membership view with the statistics it last reported (<see cref="Runtime.Diagnostics.SiloStats"/>).
/// The statistics are null until the silo first answered; after that a silo that does not answer keeps its last ones
/// with <see cref="Reachable"/> false.
/// </summary>
/// <param name="Address">The silo's address, <c>host:port@generation</c>.</param>
/// <param name="Name">The silo's name (in Kubernetes, the pod name).</param>
/// <param name="Host">The silo's machine name.</param>
/// <param name="Status">Its membership status as <see cref="Runtime.Hosting.SiloStatus"/> names it (<c>Joining</c>, <c>Active</c>, <c>ShuttingDown</c>, <c>Stopping</c>, <c>Dead</c>).</param>
/// <param name="Reachable">Whether it answered this sample's statistics request (always false for a dead silo).</param>
/// <param name="UptimeSeconds">How long it has run; null for a dead silo.</param>
/// <param name="Activations">Grain activations on it.</param>
/// <param name="CpuPercent">Its process's CPU use, 100 being every core of its machine busy.</param>
/// <param name="WorkingSetBytes">Its process's working set.</param>
/// <param name="GcHeapBytes">Its managed heap.</param>
/// <param name="MessagesReceived">Grain requests it received (total).</param>
/// <param name="MessagesSent">Grain requests it sent to other silos (total).</param>
/// <param name="MessagesRejected">Grain requests it refused unstarted (total).</param>
/// <param name="QueuedRequests">Requests waiting in its activation queues.</param>
/// <param name="Connections">Its open cluster connections.</param>
internal sealed record DashboardSilo(
    string Address,
    string Name,
    string Host,
    string Status,
    bool Reachable,
    double? UptimeSeconds,
    int? Activations,
    double? CpuPercent,
    long? WorkingSetBytes,
    long? GcHeapBytes,
    long? MessagesReceived,
    long? MessagesSent,
    long? MessagesRejected,
    int? QueuedRequests,
    int? Connections);
