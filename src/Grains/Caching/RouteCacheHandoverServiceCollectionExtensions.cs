using Cluster.Grains.Wire;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Caching;

/// <summary>Registers the hand-over of a route's cached entries to the route's next owner.</summary>
public static class RouteCacheHandoverServiceCollectionExtensions
{
    /// <summary>
    /// Registers the grain message <c>route-cache.handover.v1</c> (a leaving route grain's entries, answered by how many
    /// the new owner installed), the sender route grains use when they leave, and its <c>Cluster:Cache:HandoverTimeout</c>
    /// (validated at start). Every process that may send or receive it (silos) needs it; a gateway may have it too.
    /// Calling it again is a no-op.
    /// </summary>
    public static IServiceCollection AddRouteCacheHandoverMessage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGrainMessage<RouteCacheHandover, RouteCacheHandoverResult>(
            RouteCacheHandover.MessageName, RouteCacheHandoverCodec.Instance, RouteCacheHandoverCodec.Instance);
        if (services.Any(static d => d.ServiceType == typeof(RouteCacheHandoverSender)))
        {
            return services;
        }

        services.AddOptions<RouteCacheHandoverOptions>()
            .Configure<IServiceProvider>(static (options, sp) => sp.GetService<IConfiguration>()?.GetSection(RouteCacheHandoverOptions.SectionName).Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RouteCacheHandoverOptions>, RouteCacheHandoverOptionsValidator>());
        services.TryAddSingleton<RouteCacheHandoverSender>();
        return services;
    }
}
