namespace Cluster.Gateway.Diagnostics;

/// <summary>Event ids of the gateway's logs, by area (1000 routing, 2000 middleware, 3000 dispatch, 5000 dashboard, 6000 hosting).</summary>
internal static class GatewayEventIds
{
    public const int PathRejected = 1000;
    public const int PathRedirected = 1001;
    public const int RouteNotFound = 1002;
    public const int MethodRejected = 1003;
    public const int RouteTableBuilt = 1004;

    public const int MiddlewareFailed = 2000;
    public const int MiddlewareRewriteInvalid = 2001;
    public const int MiddlewareProxyRefused = 2002;
    public const int MiddlewareProxyFailed = 2003;
    public const int MiddlewareProxyTimedOut = 2004;
    public const int MiddlewareBackgroundWorkFailed = 2005;
    public const int MiddlewareBackgroundWorkAbandoned = 2006;
    public const int MiddlewareBackgroundWorkWaiting = 2007;
    public const int InternalHeadersRemoved = 2008;
    public const int MiddlewareCompleted = 2009;
    public const int MiddlewareResponseHeaderRejected = 2010;
    public const int MiddlewareRedirectInvalid = 2011;
    public const int MiddlewareProxyHeaderSkipped = 2012;

    public const int DispatchFailed = 3000;
    public const int SiloUnavailable = 3001;
    public const int DispatchTimedOut = 3002;
    public const int ClientAborted = 3003;
    public const int RequestBodyTooLarge = 3004;
    public const int ResponseWriteFailed = 3005;

    public const int Listening = 6000;
}
