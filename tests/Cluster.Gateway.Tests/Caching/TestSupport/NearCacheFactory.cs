using Cluster.Gateway.Caching;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Grains.Caching;
using Cluster.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Tests.Caching.TestSupport;

/// <summary>Builds near-caches and owner replies for the unit tests.</summary>
internal static class NearCacheFactory
{
    public static readonly TimeSpan Isr = TimeSpan.FromSeconds(10);

    public static GatewayNearCache Create(FakeTimeProvider clock, long maxBytes = 64L * 1024 * 1024, bool enabled = true) =>
        new(
            new RouteCacheClock(clock),
            Options.Create(new NearCacheOptions { Enabled = enabled, MaxBytes = maxBytes }),
            NullLogger<GatewayNearCache>.Instance);

    public static RouteReply Reply(string body, RouteCacheStatus cache, TimeSpan freshFor) =>
        new(RouteResponse.Text(body), cache, freshFor);

    public static RouteReply Miss(string body) => Reply(body, RouteCacheStatus.Miss, Isr);

    public static string Text(RouteResponse response) => System.Text.Encoding.UTF8.GetString(response.Body.Span);
}
