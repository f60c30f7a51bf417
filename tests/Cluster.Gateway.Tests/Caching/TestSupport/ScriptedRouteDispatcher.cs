using System.Collections.Concurrent;
using System.Globalization;
using Cluster.Gateway.Dispatch;
using Cluster.Grains.Caching;
using Cluster.Routing;
using Cluster.Routing.Wire;

namespace Cluster.Gateway.Tests.Caching.TestSupport;

/// <summary>
/// Stands in for route owners, so the gateway's side of the cache is tested apart from the owners' cache: answers each
/// call as its route's script says (or as a test's override for one path says) and counts calls per path.
/// </summary>
internal sealed class ScriptedRouteDispatcher : IRouteDispatcher
{
    public const string IsrCacheControl = "s-maxage=10, stale-while-revalidate=31535990";
    public const string StaticCacheControl = "s-maxage=31536000";

    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<RouteInvocation, int, ValueTask<RouteReply>>> _overrides = new(StringComparer.Ordinal);

    /// <summary>How many calls reached the owner for <paramref name="path"/> (any method).</summary>
    public int Calls(string path) => _calls.TryGetValue(path, out var count) ? count : 0;

    /// <summary>Answers calls for <paramref name="path"/> with <paramref name="reply"/> (given the call and its number) instead of the route's script.</summary>
    public void Override(string path, Func<RouteInvocation, int, ValueTask<RouteReply>> reply) => _overrides[path] = reply;

    public ValueTask<RouteReply> DispatchAsync(RouteInvocation invocation, CancellationToken cancellationToken)
    {
        var call = _calls.AddOrUpdate(invocation.Path, 1, static (_, count) => count + 1);
        if (_overrides.TryGetValue(invocation.Path, out var reply))
        {
            return reply(invocation, call);
        }

        return new ValueTask<RouteReply>(Script(invocation, call));
    }

    public static string Body(RouteInvocation invocation, int call) =>
        string.Create(CultureInfo.InvariantCulture, $"{invocation.Method} {invocation.Path} #{call}");

    // What an owner with a route cache answers: GETs of cached routes are MISS with their lifetime, the rest are not cached.
    private static RouteReply Script(RouteInvocation invocation, int call)
    {
        var body = Body(invocation, call);
        var isGet = invocation.Handler == RouteMethod.Get;
        return invocation.Pattern switch
        {
            "/isr/[id]" when isGet => new RouteReply(
                RouteResponse.Text(body).WithHeader("cache-control", IsrCacheControl), RouteCacheStatus.Miss, TimeSpan.FromSeconds(10)),
            "/static/[id]" or "/listed/[id]" when isGet => new RouteReply(
                RouteResponse.Text(body).WithHeader("cache-control", StaticCacheControl), RouteCacheStatus.Miss, Timeout.InfiniteTimeSpan),
            _ => new RouteReply(RouteResponse.Text(body)),
        };
    }
}
