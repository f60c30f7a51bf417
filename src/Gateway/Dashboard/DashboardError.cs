namespace Cluster.Gateway.Dashboard;

/// <summary>A request the gateway answered with a server error (from <see cref="Diagnostics.RecentFailures"/>).</summary>
/// <param name="At">When it failed (UTC).</param>
/// <param name="Route">Its route pattern, or <c>(middleware)</c> / <c>(unmatched)</c>.</param>
/// <param name="Method">Its HTTP method.</param>
/// <param name="StatusCode">The status the client got.</param>
/// <param name="Silo">The silo it was dispatched to, if it got that far.</param>
/// <param name="TraceId">Its W3C trace id, to find it in the traces and logs.</param>
/// <param name="Reason">What went wrong, in words safe to show an operator.</param>
internal sealed record DashboardError(DateTimeOffset At, string Route, string Method, int StatusCode, string? Silo, string? TraceId, string Reason);
