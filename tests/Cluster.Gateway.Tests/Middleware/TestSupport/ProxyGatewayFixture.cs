using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Routing;

namespace Cluster.Gateway.Tests.Middleware.TestSupport;

/// <summary>
/// A gateway whose middleware rewrites every request to the URL in its <c>x-destination</c> header, allows proxying to
/// 127.0.0.1 (any port) only. Its proxy timeout is generous so a loaded CI machine cannot turn a slow first
/// connection into a 504; the timeout test starts its own gateway with a short one (<see cref="StartHostAsync"/>).
/// </summary>
public sealed class ProxyGatewayFixture : IAsyncLifetime
{
    public const string DestinationHeader = "x-destination";

    public GatewayHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await StartHostAsync(TimeSpan.FromSeconds(30));

    /// <summary>Starts a gateway with this fixture's middleware and the given proxy timeout.</summary>
    public static Task<GatewayHost> StartHostAsync(TimeSpan proxyTimeout) => GatewayHost.StartAsync(
        new MiddlewareTestApp().CreateManifest(static (request, _) => new(
            MiddlewareResult.Rewrite(request.Headers[DestinationHeader])
                .WithRequestHeader("x-from-mw", "1")
                .WithResponseHeader("x-mw", "1"))),
        "--Gateway:Middleware:ProxyAllowedHosts:0=127.0.0.1",
        "--Gateway:Middleware:ProxyTimeout=" + proxyTimeout.ToString("c", System.Globalization.CultureInfo.InvariantCulture));

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
