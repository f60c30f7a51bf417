using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Routing;

namespace Cluster.Gateway.Tests.Middleware.TestSupport;

/// <summary>
/// A gateway whose middleware rewrites every request to the URL in its <c>x-destination</c> header, allows proxying to
/// 127.0.0.1 (any port) only, and gives upstreams half a second to answer.
/// </summary>
public sealed class ProxyGatewayFixture : IAsyncLifetime
{
    public const string DestinationHeader = "x-destination";

    public GatewayHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await GatewayHost.StartAsync(
        new MiddlewareTestApp().CreateManifest(static (request, _) => new(
            MiddlewareResult.Rewrite(request.Headers[DestinationHeader])
                .WithRequestHeader("x-from-mw", "1")
                .WithResponseHeader("x-mw", "1"))),
        "--Gateway:Middleware:ProxyAllowedHosts:0=127.0.0.1",
        "--Gateway:Middleware:ProxyTimeout=00:00:00.500");

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
