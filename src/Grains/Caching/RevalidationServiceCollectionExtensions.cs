using Cluster.Grains.Routing;
using Cluster.Grains.Wire;
using Cluster.Routing.Hosting;
using Cluster.Runtime;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Caching;

/// <summary>Registers cluster-wide, confirmed revalidation of cached route responses.</summary>
public static class RevalidationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the revalidation call (message <c>route-cache.invalidate.v1</c>, so this process can send it to route
    /// owners on other silos and a silo can receive it), the tag index of the cached routes, and the cluster-wide
    /// <see cref="IRouteRevalidator"/> that <c>RouteContext.RevalidatePathAsync</c>/<c>RevalidateTagAsync</c> and
    /// <c>POST /_cluster/revalidate</c> use: it completes only once every owner concerned confirmed it dropped its
    /// entries. It takes the place of the default revalidator that <c>AddRouteGrains</c> registers (whether that was
    /// registered before or after this call), but not of one a host registered itself. Calling it again is a no-op.
    /// Needs what <c>AddRouteGrainClient</c> registers (the route catalog, the stateless-worker routes) and a grain
    /// factory (the cluster runtime or client).
    /// </summary>
    public static IServiceCollection AddRouteCacheRevalidation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddGrainMessage<RouteCacheInvalidation, RouteCacheInvalidationResult>(
            RouteCacheInvalidationCodec.MessageName, RouteCacheInvalidationCodec.Instance, RouteCacheInvalidationCodec.Instance);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(static sp => new RouteTagIndex(
            sp.GetRequiredService<IRouteCatalog>(), sp.GetRequiredService<StatelessWorkerRoutes>()));
        services.TryAddSingleton(static sp => new ClusterRouteRevalidator(
            sp.GetRequiredService<IRouteCatalog>(),
            sp.GetRequiredService<StatelessWorkerRoutes>(),
            sp.GetRequiredService<RouteTagIndex>(),
            sp.GetRequiredService<IGrainFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<ClusterRouteRevalidator>>(),
            // A gateway has compiled the table already; a silo builds its own on the first path revalidation.
            sp.GetService<Matching.RouteTable>()));

        // The default (nothing is cached) gives way wherever it was registered; a host's own revalidator stays.
        for (var i = services.Count - 1; i >= 0; i--)
        {
            var descriptor = services[i];
            if (descriptor.ServiceType == typeof(IRouteRevalidator)
                && !descriptor.IsKeyedService
                && descriptor.ImplementationType == typeof(LocalRouteRevalidator))
            {
                services.RemoveAt(i);
            }
        }

        services.TryAddSingleton<IRouteRevalidator>(static sp => sp.GetRequiredService<ClusterRouteRevalidator>());
        return services;
    }
}
