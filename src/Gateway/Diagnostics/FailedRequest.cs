namespace Cluster.Gateway.Diagnostics;

/// <summary>A request the gateway answered with a server error (5xx), as the dashboard lists it.</summary>
/// <param name="At">When it failed (UTC).</param>
/// <param name="Route">The route pattern (or <c>(middleware)</c> / <c>(unmatched)</c>).</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="StatusCode">The status the client got.</param>
/// <param name="Silo">The silo the request was dispatched to, if it got that far.</param>
/// <param name="TraceId">The request's W3C trace id (hex), if it had one.</param>
/// <param name="Reason">What went wrong, in words safe to show an operator (never sent to the client).</param>
public sealed record FailedRequest(
    DateTimeOffset At, string Route, string Method, int StatusCode, string? Silo, string? TraceId, string Reason);
