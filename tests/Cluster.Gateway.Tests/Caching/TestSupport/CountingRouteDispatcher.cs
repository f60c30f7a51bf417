using System.Collections.Concurrent;
using Cluster.Gateway.Dispatch;
using Cluster.Grains.Caching;
using Cluster.Routing.Wire;

namespace Cluster.Gateway.Tests.Caching.TestSupport;

/// <summary>Counts the calls the gateway makes to route grains, per path, and passes them on.</summary>
internal sealed class CountingRouteDispatcher(IRouteDispatcher inner) : IRouteDispatcher
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    public int Calls(string path) => _calls.TryGetValue(path, out var count) ? count : 0;

    public ValueTask<RouteReply> DispatchAsync(RouteInvocation invocation, CancellationToken cancellationToken)
    {
        _calls.AddOrUpdate(invocation.Path, 1, static (_, count) => count + 1);
        return inner.DispatchAsync(invocation, cancellationToken);
    }
}
