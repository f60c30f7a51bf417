namespace Cluster.Gateway.Dashboard;

/// <summary>One point of the charts: the gateway's requests (every route, unmatched ones too) over one sample interval.</summary>
/// <param name="At">When the interval ended (UTC).</param>
/// <param name="RequestsPerSecond">Requests answered per second.</param>
/// <param name="P50Ms">The median duration in milliseconds; null without requests.</param>
/// <param name="P99Ms">The 99th percentile duration in milliseconds; null without requests.</param>
/// <param name="ErrorsPerSecond">5xx answers per second.</param>
internal sealed record DashboardThroughputPoint(DateTimeOffset At, double RequestsPerSecond, double? P50Ms, double? P99Ms, double ErrorsPerSecond);
