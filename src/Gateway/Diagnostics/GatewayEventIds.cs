namespace Cluster.Gateway.Diagnostics;

/// <summary>Event ids of the gateway's logs, by area (1000 routing, 2000 middleware, 3000 dispatch, 5000 dashboard, 6000 hosting).</summary>
internal static class GatewayEventIds
{
    public const int PathRejected = 1000;
    public const int PathRedirected = 1001;
    public const int RouteNotFound = 1002;
    public const int MethodRejected = 1003;
    public const int RouteTableBuilt = 1004;

    public const int DispatchFailed = 3000;
    public const int SiloUnavailable = 3001;
    public const int DispatchTimedOut = 3002;
    public const int ClientAborted = 3003;
    public const int RequestBodyTooLarge = 3004;
    public const int ResponseWriteFailed = 3005;

    public const int Listening = 6000;
}
