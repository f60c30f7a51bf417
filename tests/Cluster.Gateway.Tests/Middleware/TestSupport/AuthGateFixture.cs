using System.Collections.Concurrent;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Routing;

namespace Cluster.Gateway.Tests.Middleware.TestSupport;

/// <summary>
/// A gateway whose middleware is an auth gate, as in CVE-2025-29927's write-ups: 401 JSON without an
/// <c>authorization</c> header, <c>Next</c> with one. It records the header names the middleware itself saw.
/// </summary>
public sealed class AuthGateFixture : IAsyncLifetime
{
    public MiddlewareTestApp App { get; } = new();

    public GatewayHost Host { get; private set; } = null!;

    /// <summary>The header names each middleware call saw, by <c>x-test-id</c>.</summary>
    public ConcurrentDictionary<string, string[]> SeenByMiddleware { get; } = new(StringComparer.Ordinal);

    public async Task InitializeAsync() => Host = await GatewayHost.StartAsync(App.CreateManifest((request, _) =>
    {
        if (request.Headers.TryGetValue(CallCounter.TestIdHeader, out var id))
        {
            SeenByMiddleware[id] = [.. request.Headers.Keys];
        }

        return new(request.Headers.ContainsKey("authorization")
            ? MiddlewareResult.Next()
            : MiddlewareResult.Respond(RouteResponse.Json(new { error = "unauthorized" }, 401)));
    }));

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
