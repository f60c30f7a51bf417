using Cluster.Gateway.Caching;
using Cluster.Gateway.Dispatch;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Grains.Caching;

namespace Cluster.Gateway.Tests.Caching.TestSupport;

/// <summary>
/// The EdgeApp (its app/cache routes) behind a gateway with its own silo, real route grains and their cache, a fake cache
/// clock shared by the owners and the near-cache, confirmed revalidation (<c>RouteContext.RevalidatePathAsync</c>), and a
/// dispatcher that counts the gateway's grain calls.
/// </summary>
public sealed class RouteCacheGatewayFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new();

    public GatewayHost Host { get; private set; } = null!;

    internal CountingRouteDispatcher Calls { get; private set; } = null!;

    internal GatewayNearCache NearCache => Host.Services.GetRequiredService<GatewayNearCache>();

    public async Task InitializeAsync()
    {
        Host = await GatewayHost.StartAsync(
            EdgeAppManifest.Instance,
            services =>
            {
                services.AddSingleton(new RouteCacheClock(Clock));

                // Confirmed, cluster-wide revalidation (until the gateway's own registration adds it).
                services.AddRouteCacheRevalidation();
                services.AddSingleton<IRouteDispatcher>(static sp =>
                    new CountingRouteDispatcher(ActivatorUtilities.CreateInstance<GrainRouteDispatcher>(sp)));
            });
        Calls = (CountingRouteDispatcher)Host.Services.GetRequiredService<IRouteDispatcher>();
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
