using Cluster.Gateway.Diagnostics;
using Cluster.Routing;

namespace Cluster.Gateway.Pipeline;

internal sealed partial class GatewayRequestHandler
{
    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.PathRejected, LogLevel.Debug, "Rejected a request target with {StatusCode}.")]
        public static partial void PathRejected(ILogger logger, int statusCode);

        [LoggerMessage(GatewayEventIds.PathRedirected, LogLevel.Debug, "Redirected {Path} to its normal form {Location}.")]
        public static partial void PathRedirected(ILogger logger, string path, string location);

        [LoggerMessage(GatewayEventIds.RouteNotFound, LogLevel.Debug, "No route matches {Path}.")]
        public static partial void RouteNotFound(ILogger logger, string path);

        [LoggerMessage(GatewayEventIds.StaticParamsUnlisted, LogLevel.Debug, "Route {Route} lists its params (GenerateStaticParams, DynamicParams = false) and {Path} is not among them; answered 404.")]
        public static partial void StaticParamsUnlisted(ILogger logger, string route, string path);

        [LoggerMessage(GatewayEventIds.MethodRejected, LogLevel.Debug, "Method {Method} on route {Route} answered {StatusCode}.")]
        public static partial void MethodRejected(ILogger logger, string method, string route, int statusCode);

        [LoggerMessage(GatewayEventIds.RequestBodyTooLarge, LogLevel.Information, "A request body for route {Route} exceeded the limit of {Limit} bytes; answered 413.")]
        public static partial void RequestBodyTooLarge(ILogger logger, string route, long limit);

        [LoggerMessage(GatewayEventIds.ClientAborted, LogLevel.Debug, "The client went away during a request for route {Route}.")]
        public static partial void ClientAborted(ILogger logger, string route);

        [LoggerMessage(GatewayEventIds.SiloUnavailable, LogLevel.Warning, "No silo could take a request for route {Route} (silo {Silo}, trace {TraceId}); answered 503. {Reason}")]
        public static partial void SiloUnavailable(ILogger logger, string route, string silo, string traceId, string reason);

        [LoggerMessage(GatewayEventIds.DispatchTimedOut, LogLevel.Warning, "A request for route {Route} timed out in its grain (silo {Silo}, trace {TraceId}); answered 504.")]
        public static partial void DispatchTimedOut(ILogger logger, string route, string silo, string traceId);

        [LoggerMessage(GatewayEventIds.DispatchFailed, LogLevel.Error, "Dispatching a request for route {Route} failed (silo {Silo}, trace {TraceId}); answered 500.")]
        public static partial void DispatchFailed(ILogger logger, string route, string silo, string traceId, Exception exception);

        [LoggerMessage(GatewayEventIds.ResponseWriteFailed, LogLevel.Error, "The response of route {Route} could not be sent (silo {Silo}, trace {TraceId}); answered 500.")]
        public static partial void ResponseWriteFailed(ILogger logger, string route, string silo, string traceId, Exception exception);

        [LoggerMessage(GatewayEventIds.RouteAnsweredServerError, LogLevel.Warning, "Route {Route} answered {StatusCode} (silo {Silo}, trace {TraceId}); the silo's log has the handler's side.")]
        public static partial void RouteAnsweredServerError(ILogger logger, string route, int statusCode, string silo, string traceId);

        [LoggerMessage(GatewayEventIds.InternalHeadersRemoved, LogLevel.Debug, "Removed {Count} internal headers (x-middleware-*, x-nextjs-*, x-matched-path, x-now-route-matches) a client sent with a request for {Path}.")]
        public static partial void InternalHeadersRemoved(ILogger logger, int count, string path);

        [LoggerMessage(GatewayEventIds.MiddlewareCompleted, LogLevel.Debug, "The middleware {MiddlewareType} answered {Kind} for {Path}.")]
        public static partial void MiddlewareCompleted(ILogger logger, string middlewareType, string path, MiddlewareResultKind kind);

        [LoggerMessage(GatewayEventIds.MiddlewareFailed, LogLevel.Error, "The middleware {MiddlewareType} failed on {Path} (route {Route}, silo {Silo}, trace {TraceId}); answered 500.")]
        public static partial void MiddlewareFailed(ILogger logger, string middlewareType, string path, string route, string silo, string traceId, Exception exception);

        [LoggerMessage(GatewayEventIds.MiddlewareRewriteInvalid, LogLevel.Error, "The middleware {MiddlewareType} rewrote {Path} to {Destination}, which is not a normal path or URL the gateway can route (route {Route}, silo {Silo}, trace {TraceId}); answered 500.")]
        public static partial void MiddlewareRewriteInvalid(ILogger logger, string middlewareType, string path, string destination, string route, string silo, string traceId);

        [LoggerMessage(GatewayEventIds.MiddlewareRedirectInvalid, LogLevel.Error, "The middleware {MiddlewareType} redirected {Path} to a location the server cannot send (non-ASCII characters must be percent-encoded) (route {Route}, silo {Silo}, trace {TraceId}); answered 500.")]
        public static partial void MiddlewareRedirectInvalid(ILogger logger, string middlewareType, string path, string route, string silo, string traceId);

        [LoggerMessage(GatewayEventIds.MiddlewareProxyRefused, LogLevel.Warning, "The middleware {MiddlewareType} rewrote {Path} to host {Host}, which Gateway:Middleware:ProxyAllowedHosts does not list (route {Route}, silo {Silo}, trace {TraceId}); answered 502. Add the host to that setting to allow proxying to it.")]
        public static partial void MiddlewareProxyRefused(ILogger logger, string middlewareType, string path, string host, string route, string silo, string traceId);

        [LoggerMessage(GatewayEventIds.MiddlewareAnsweredServerError, LogLevel.Warning, "The middleware {MiddlewareType} answered {StatusCode} for {Path} (route {Route}, silo {Silo}, trace {TraceId}).")]
        public static partial void MiddlewareAnsweredServerError(ILogger logger, string middlewareType, string path, int statusCode, string route, string silo, string traceId);
    }
}
