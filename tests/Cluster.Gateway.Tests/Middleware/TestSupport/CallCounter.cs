using System.Collections.Concurrent;
using Cluster.Routing;

namespace Cluster.Gateway.Tests.Middleware.TestSupport;

/// <summary>Counts calls per test, keyed by the <c>x-test-id</c> header, so tests sharing a gateway do not mix counts.</summary>
public sealed class CallCounter
{
    public const string TestIdHeader = "x-test-id";

    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public void Record(RouteRequest request)
    {
        if (request.Headers.TryGetValue(TestIdHeader, out var id))
        {
            _counts.AddOrUpdate(id, 1, static (_, count) => count + 1);
        }
    }

    public int Count(string testId) => _counts.TryGetValue(testId, out var count) ? count : 0;
}
