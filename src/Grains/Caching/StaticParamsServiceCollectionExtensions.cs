using Cluster.Runtime.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Caching;

/// <summary>Registers the index of <c>GenerateStaticParams</c> paths and, on silos, their prerendering.</summary>
public static class StaticParamsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <c>StaticParamsIndex</c> (the paths each route lists with <c>GenerateStaticParams</c>, and which
    /// params a route with <c>DynamicParams = false</c> refuses) and a hosted service that builds it when the host starts,
    /// plus the <c>Cluster:Cache</c> keys it reads (<c>StaticParamsTimeout</c>, <c>PrerenderConcurrency</c>), validated
    /// at start. Needs the app's routes (an <c>IRouteCatalog</c>, as <c>AddRouteGrainClient</c> registers). For gateways
    /// and silos alike; calling it again is a no-op.
    /// </summary>
    public static IServiceCollection AddStaticParams(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (services.Any(static d => d.ServiceType == typeof(StaticParamsIndex)))
        {
            return services;
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StaticParamsOptions>()
            .Configure<IServiceProvider>(static (options, sp) => sp.GetService<IConfiguration>()?.GetSection(StaticParamsOptions.SectionName).Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StaticParamsOptions>, StaticParamsOptionsValidator>());
        services.TryAddSingleton<StaticParamsIndex>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StaticParamsIndexInitializer>());
        return services;
    }

    /// <summary>
    /// Adds what <see cref="AddStaticParams"/> adds, and a silo start-up task that prerenders every listed path before
    /// the silo reports ready, <c>Cluster:Cache:PrerenderConcurrency</c> at a time. For silos (it calls route grains);
    /// needs <c>AddRouteGrainClient</c>'s services. Calling it again is a no-op.
    /// </summary>
    public static IServiceCollection AddStaticParamsPrerender(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddStaticParams();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISiloStartupTask, StaticParamsPrerenderer>());
        return services;
    }
}
