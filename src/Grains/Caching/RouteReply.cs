using Cluster.Routing;

namespace Cluster.Grains.Caching;

/// <summary>
/// What a route grain answers a routed request with: the response, how the route cache produced it, and for how long
/// a gateway may keep serving it from its near-cache without asking the owner again. A struct, so a dynamic route's
/// answer costs no allocation beyond the response itself.
/// </summary>
public readonly struct RouteReply
{
    /// <summary>A reply of a route that is not cached.</summary>
    public RouteReply(RouteResponse response)
        : this(response, RouteCacheStatus.None, TimeSpan.Zero)
    {
    }

    /// <summary>A reply with its cache outcome.</summary>
    /// <param name="response">The response to send (for a cached route it already carries its <c>Cache-Control</c>).</param>
    /// <param name="cache">How the route cache produced it.</param>
    /// <param name="freshFor">How long a gateway may serve it as a HIT from its near-cache: <see cref="TimeSpan.Zero"/>
    /// not at all, <see cref="Timeout.InfiniteTimeSpan"/> until it is invalidated.</param>
    public RouteReply(RouteResponse response, RouteCacheStatus cache, TimeSpan freshFor)
    {
        ArgumentNullException.ThrowIfNull(response);
        Response = response;
        Cache = cache;
        FreshFor = freshFor;
    }

    /// <summary>The response.</summary>
    public RouteResponse Response { get; }

    /// <summary>How the route cache produced the response.</summary>
    public RouteCacheStatus Cache { get; }

    /// <summary>
    /// How long, from its arrival, a gateway may serve the response from its near-cache without a call:
    /// <see cref="TimeSpan.Zero"/> not at all, <see cref="Timeout.InfiniteTimeSpan"/> until it is invalidated.
    /// </summary>
    public TimeSpan FreshFor { get; }
}
