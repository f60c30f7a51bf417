namespace Cluster.Gateway.Dashboard;

/// <summary>One route of the app as this gateway served it (from <c>http.server.request.duration</c>).</summary>
/// <param name="Pattern">The route pattern (<c>http.route</c>).</param>
/// <param name="Kind">How its GET is served: <c>static</c>, <c>isr</c>, <c>dynamic</c> or <c>worker</c> (a stateless-worker pool).</param>
/// <param name="Owner">The silo its route grain lives on in the gateway's view; null for a worker route or with no active silo.</param>
/// <param name="Requests">Requests answered since this gateway started: exactly the route's count in <c>/_cluster/metrics</c>.</param>
/// <param name="RequestsPerSecond">Requests per second over the last sample interval.</param>
/// <param name="P50Ms">The median duration over the last window (about 10 s), in milliseconds; null without requests in it.</param>
/// <param name="P99Ms">The 99th percentile duration over the last window, in milliseconds; null without requests in it.</param>
/// <param name="ErrorRate">The share of 5xx answers over the last window (0–1; 0 without requests in it).</param>
/// <param name="CacheHitRatio">HIT / (HIT + STALE + MISS) over the last window (0–1); null when no cached answer was counted in it.</param>
internal sealed record DashboardRoute(
    string Pattern,
    string Kind,
    string? Owner,
    long Requests,
    double RequestsPerSecond,
    double? P50Ms,
    double? P99Ms,
    double ErrorRate,
    double? CacheHitRatio);
