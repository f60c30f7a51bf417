namespace Cluster.Routing;

/// <summary>
/// The middleware's configuration: a public static <c>Config</c> property on the middleware class, read by the route
/// generator at build time (so its values must be compile-time constants).
/// </summary>
public sealed class MiddlewareConfig
{
    /// <summary>
    /// Where the middleware runs. <c>null</c> (the default): on every request except the cluster's own
    /// <c>/_cluster/*</c>.
    /// </summary>
    public IReadOnlyList<MatcherRule>? Matcher { get; init; }
}
