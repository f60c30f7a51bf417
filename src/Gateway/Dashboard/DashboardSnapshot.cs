namespace Cluster.Gateway.Dashboard;

/// <summary>
/// One sample of the dashboard, as <c>GET /_cluster/dashboard/snapshot</c> answers it and every event of
/// <c>/_cluster/dashboard/events</c> carries it (camelCase JSON, <see cref="DashboardJsonContext"/>).
/// </summary>
/// <param name="Sequence">The sample's number: 1 for this gateway's first, then +1 per sample.</param>
/// <param name="At">When the gateway's metrics were read (UTC).</param>
/// <param name="Gateway">The gateway that took the sample.</param>
/// <param name="Silos">
/// Every silo of the gateway's membership view, Dead ones included, the live ones first; for a gateway whose silo is
/// alone (no shared membership table), that silo.
/// </param>
/// <param name="Routes">Every route of the app, by pattern.</param>
/// <param name="Throughput">The gateway's last samples (at most <see cref="DashboardSampler.ThroughputPoints"/>), oldest first.</param>
/// <param name="Errors">The gateway's recent server errors, newest first.</param>
/// <param name="Events">The recent membership changes this gateway saw, newest first.</param>
internal sealed record DashboardSnapshot(
    long Sequence,
    DateTimeOffset At,
    DashboardGateway Gateway,
    IReadOnlyList<DashboardSilo> Silos,
    IReadOnlyList<DashboardRoute> Routes,
    IReadOnlyList<DashboardThroughputPoint> Throughput,
    IReadOnlyList<DashboardError> Errors,
    IReadOnlyList<DashboardMembershipEvent> Events);
