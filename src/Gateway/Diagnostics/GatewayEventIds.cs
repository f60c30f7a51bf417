namespace Cluster.Gateway.Diagnostics;

/// <summary>Event ids of the gateway's logs, by area (1000 routing, 1300 route cache, 2000 middleware, 3000 dispatch, 5000 dashboard, 6000 hosting).</summary>
internal static class GatewayEventIds
{
    public const int PathRejected = 1000;
    public const int PathRedirected = 1001;
    public const int RouteNotFound = 1002;
    public const int MethodRejected = 1003;
    public const int RouteTableBuilt = 1004;

    public const int NearCacheCleared = 1300;
    public const int NearCacheInvalidated = 1301;
    public const int NearCacheInvalidationMalformed = 1302;
    public const int NearCacheResponseTooLarge = 1303;
    public const int NearCacheConnectionLost = 1304;
    public const int StaticParamsUnlisted = 1305;

    public const int RevalidateClientAborted = 1314;
    public const int RevalidateBadRequest = 1315;
    public const int RevalidateNotConfirmed = 1316;
    public const int Revalidated = 1317;
    public const int RevalidateUnauthorized = 1318;
    public const int RevalidateDisabled = 1319;

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
    public const int RouteAnsweredServerError = 3006;
    public const int MiddlewareAnsweredServerError = 3007;

    public const int DashboardUnauthorized = 5000;
    public const int DashboardDisabled = 5001;
    public const int DashboardSignedIn = 5002;
    public const int DashboardStreamOpened = 5003;
    public const int DashboardStreamClosed = 5004;
    public const int DashboardSamplerStarted = 5005;
    public const int DashboardSamplerStopped = 5006;
    public const int DashboardSampleFailed = 5007;
    public const int DashboardSiloDidNotAnswer = 5008;
    public const int DashboardSiloStatsFailed = 5009;

    public const int Listening = 6000;
    public const int RouteTableSummary = 6001;
    public const int Draining = 6002;
}
