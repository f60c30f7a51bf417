namespace Cluster.Grains.Wire;

/// <summary>
/// The names under which route calls travel on the cluster protocol: a <see cref="Cluster.Routing.Wire.RouteInvocation"/>
/// request answered by a <see cref="Caching.RouteReply"/> (the response and its cache outcome), written by
/// <see cref="RouteInvocationCodec"/> and <see cref="RouteReplyCodec"/>.
/// </summary>
public static class RouteWireMessages
{
    /// <summary>
    /// The message type name of a route call. The suffix names the message, not the body format: each body starts with
    /// its own format-version byte, so a body change bumps that byte and this name stays.
    /// </summary>
    public const string Name = "route.v2";
}
