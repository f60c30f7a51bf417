using System.Diagnostics;
using System.Globalization;
using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Dispatch;
using Cluster.Gateway.Middleware;
using Cluster.Grains.Routing;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;

namespace Cluster.Gateway.Pipeline;

/// <summary>
/// Server errors the gateway answers: each logs exactly one line — its own event id and level, always with the route,
/// the silo (<c>-</c> when the request reached none) and the W3C trace id (<c>-</c> without one) — marks the request's
/// root span failed, and is kept in <see cref="RecentFailures"/> for the dashboard. The runtime logs these failures at
/// Debug at most, and the silo logs a handler's own failure on its side, so this line is the request's one line here.
/// The reason kept is for operators (the dashboard behind the admin token); the client only ever gets the status.
/// </summary>
internal sealed partial class GatewayRequestHandler
{
    // Operator text is kept whole up to this many characters (an exception message can be long).
    private const int MaxReasonLength = 1024;
    private const string None = "-";

    /// <summary>A grain call that produced no reply: 503, 504 or 500 by <paramref name="error"/>.</summary>
    private void DispatchFailed(HttpContext context, string pattern, DispatchError error, Activity? dispatch, Exception exception)
    {
        var silo = SiloOf(dispatch, pattern);
        var traceId = GatewayTracing.TraceIdOf(dispatch ?? Ambient());
        var status = DispatchErrors.ToStatusCode(error);
        string reason;
        switch (error)
        {
            case DispatchError.SiloUnavailable:
                Log.SiloUnavailable(_logger, pattern, silo ?? None, traceId ?? None, exception.Message);
                reason = "No silo could take the request: " + exception.Message;
                break;
            case DispatchError.TimedOut:
                Log.DispatchTimedOut(_logger, pattern, silo ?? None, traceId ?? None);
                reason = "The grain call timed out: " + exception.Message;
                break;
            default:
                Log.DispatchFailed(_logger, pattern, silo ?? None, traceId ?? None, exception);
                reason = $"The grain call failed with {exception.GetType().FullName}: {exception.Message}";
                break;
        }

        Record(context, pattern, status, silo, traceId, reason);
    }

    /// <summary>A reply or a near-cache copy that Kestrel refused to send (a header it cannot encode): 500.</summary>
    private void ResponseWriteFailed(HttpContext context, string pattern, string? silo, Activity? dispatch, Exception exception)
    {
        var traceId = GatewayTracing.TraceIdOf(dispatch ?? Ambient());
        Log.ResponseWriteFailed(_logger, pattern, silo ?? None, traceId ?? None, exception);
        Record(context, pattern, StatusCodes.Status500InternalServerError, silo, traceId, "The response could not be sent: " + exception.Message);
    }

    /// <summary>The route's handler answered a server error itself (it threw, returned nothing, or chose a 5xx).</summary>
    private void RouteAnsweredServerError(HttpContext context, string pattern, int statusCode, Activity? dispatch)
    {
        var silo = SiloOf(dispatch, pattern);
        var traceId = GatewayTracing.TraceIdOf(dispatch ?? Ambient());
        Log.RouteAnsweredServerError(_logger, pattern, statusCode, silo ?? None, traceId ?? None);
        Record(context, pattern, statusCode, silo, traceId, string.Create(CultureInfo.InvariantCulture, $"The route's handler answered {statusCode}."));
    }

    /// <summary>The middleware threw (or returned a result of no known kind): 500.</summary>
    private void MiddlewareThrew(HttpContext context, AppMiddleware middleware, string path, Exception exception)
    {
        var traceId = GatewayTracing.TraceIdOf(Ambient());
        Log.MiddlewareFailed(_logger, middleware.HandlerType, path, GatewayMetrics.MiddlewareRoute, None, traceId ?? None, exception);
        RecordMiddlewareFailure(
            context,
            StatusCodes.Status500InternalServerError,
            traceId,
            $"The middleware {middleware.HandlerType} failed on {path} with {exception.GetType().FullName}: {exception.Message}");
    }

    /// <summary>The middleware rewrote to something the gateway cannot route: 500.</summary>
    private void MiddlewareRewriteInvalid(HttpContext context, AppMiddleware middleware, string path, string destination)
    {
        var traceId = GatewayTracing.TraceIdOf(Ambient());
        Log.MiddlewareRewriteInvalid(_logger, middleware.HandlerType, path, destination, GatewayMetrics.MiddlewareRoute, None, traceId ?? None);
        RecordMiddlewareFailure(
            context,
            StatusCodes.Status500InternalServerError,
            traceId,
            $"The middleware {middleware.HandlerType} rewrote {path} to {destination}, which is not a normal path or URL the gateway can route.");
    }

    /// <summary>The middleware redirected to a location Kestrel cannot send: 500.</summary>
    private void MiddlewareRedirectInvalid(HttpContext context, AppMiddleware middleware, string path)
    {
        var traceId = GatewayTracing.TraceIdOf(Ambient());
        Log.MiddlewareRedirectInvalid(_logger, middleware.HandlerType, path, GatewayMetrics.MiddlewareRoute, None, traceId ?? None);
        RecordMiddlewareFailure(
            context,
            StatusCodes.Status500InternalServerError,
            traceId,
            $"The middleware {middleware.HandlerType} redirected {path} to a location the server cannot send.");
    }

    /// <summary>The middleware rewrote to a host the gateway may not proxy to: 502.</summary>
    private void MiddlewareProxyRefused(HttpContext context, AppMiddleware middleware, string path, string host)
    {
        var traceId = GatewayTracing.TraceIdOf(Ambient());
        Log.MiddlewareProxyRefused(_logger, middleware.HandlerType, path, host, GatewayMetrics.MiddlewareRoute, None, traceId ?? None);
        RecordMiddlewareFailure(
            context,
            StatusCodes.Status502BadGateway,
            traceId,
            $"The middleware {middleware.HandlerType} rewrote {path} to host {host}, which Gateway:Middleware:ProxyAllowedHosts does not list.");
    }

    /// <summary>The middleware answered a server error itself (<c>Respond</c> with a 5xx status).</summary>
    private void MiddlewareAnsweredServerError(HttpContext context, AppMiddleware middleware, string path, int statusCode)
    {
        var traceId = GatewayTracing.TraceIdOf(Ambient());
        Log.MiddlewareAnsweredServerError(_logger, middleware.HandlerType, path, statusCode, GatewayMetrics.MiddlewareRoute, None, traceId ?? None);
        RecordMiddlewareFailure(
            context,
            statusCode,
            traceId,
            string.Create(CultureInfo.InvariantCulture, $"The middleware {middleware.HandlerType} answered {statusCode} for {path}."));
    }

    /// <summary>
    /// A rewrite proxied to another host answered a server error: kept for the dashboard, not logged again here — the
    /// proxy logs its own failures (502, 504), and an upstream's own 5xx is the upstream's.
    /// </summary>
    private void ProxiedServerError(HttpContext context, AppMiddleware middleware, string path, string host)
    {
        var statusCode = context.Response.StatusCode;
        Record(
            context,
            GatewayMetrics.MiddlewareRoute,
            statusCode,
            silo: null,
            GatewayTracing.TraceIdOf(Ambient()),
            string.Create(CultureInfo.InvariantCulture, $"The middleware {middleware.HandlerType} proxied {path} to {host}, which ended in {statusCode}."));
    }

    /// <summary>
    /// The silo a failed call went to: as the runtime recorded it on the <c>dispatch</c> span; else (no trace) the
    /// route's owner in this process's view; else this process's own silo while it is Active — the one silo of an
    /// embedded gateway, and where a gateway that hosts a silo runs stateless-worker routes; else none (a client
    /// gateway's stateless-worker route, which has no single owner, or no silo active).
    /// </summary>
    private string? SiloOf(Activity? dispatch, string pattern)
    {
        if (GatewayTracing.SiloOf(dispatch) is { } recorded)
        {
            return recorded;
        }

        var worker = _workers.Contains(pattern);
        if (!worker && _locator?.GetOwner(new GrainId(RouteGrainReference.GrainType, pattern)) is { } owner)
        {
            return owner.ToString();
        }

        return _localSilo is { Status: SiloStatus.Active } local ? local.SiloAddress.ToString() : null;
    }

    private void Record(HttpContext context, string route, int statusCode, string? silo, string? traceId, string reason)
    {
        if (Ambient() is { } root)
        {
            GatewayTracing.Fail(root, statusCode.ToString(CultureInfo.InvariantCulture));
        }

        if (reason.Length > MaxReasonLength)
        {
            reason = string.Concat(reason.AsSpan(0, MaxReasonLength - 1), "…");
        }

        _failures.Record(new FailedRequest(_timeProvider.GetUtcNow(), route, context.Request.Method, statusCode, silo, traceId, reason));
    }

    // The request's span now: the current activity, or the nearest one still running above it (a child span that has
    // just been stopped may still be current on this flow).
    private static Activity? Ambient()
    {
        var activity = Activity.Current;
        while (activity is { IsStopped: true })
        {
            activity = activity.Parent;
        }

        return activity;
    }

    // A failure the middleware's answer caused: it never reached a silo.
    private void RecordMiddlewareFailure(HttpContext context, int statusCode, string? traceId, string reason)
        => Record(context, GatewayMetrics.MiddlewareRoute, statusCode, silo: null, traceId, reason);
}
