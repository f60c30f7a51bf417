using Cluster.Grains.Caching;
using Cluster.Grains.Wire;
using Cluster.Routing.Hosting;
using Cluster.Runtime;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Placement;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Routing;

/// <summary>Registers route grains on a silo and reaches them from a gateway.</summary>
public static class RouteGrainExtensions
{
    /// <summary>
    /// Registers the route grain types (<c>route</c>, and <c>route-worker</c> for stateless-worker routes), the catalog
    /// of <paramref name="manifest"/>'s routes and the route revalidator (all with <c>TryAdd*</c>, so a host may replace
    /// the catalog or the revalidator), the silo's route cache (<see cref="IRouteCacheStore"/> capped by
    /// <c>Cluster:Cache:MaxBytes</c>, validated at start-up, and its metrics, meter <c>Cluster.RouteCache</c>), plus
    /// everything <see cref="AddRouteGrainClient"/> adds.
    /// </summary>
    /// <exception cref="ArgumentException">Two routes of the manifest share a pattern.</exception>
    public static IClusterRuntimeBuilder AddRouteGrains(this IClusterRuntimeBuilder builder, ClusterAppManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(manifest);

        builder.Services.TryAddSingleton<IRouteCatalog>(new RouteCatalog(manifest));
        builder.Services.TryAddSingleton<IRouteRevalidator, LocalRouteRevalidator>();
        builder.Services.AddRouteGrainClient();
        builder.Services.AddRouteCache();
        builder.Services.AddStaticParamsPrerender();
        return builder
            .AddGrain<RouteGrain>(RouteGrainReference.GrainType)
            .AddGrain<RouteWorkerGrain>(RouteGrainReference.WorkerGrainType);
    }

    /// <summary>
    /// Registers what a process needs to call route grains on other silos: the wire format of a route call
    /// (<see cref="RouteWireMessages.Name"/>), the placement of <c>route-worker</c> grains as stateless workers, and
    /// <see cref="StatelessWorkerRoutes"/> — the routes marked by <c>RouteConfig.StatelessWorker</c> or listed in
    /// <c>Cluster:Routes:StatelessWorkers</c> (checked at start-up: an unknown pattern, or a worker route that is
    /// cached, stops the host). The routes come from the registered <see cref="IRouteCatalog"/>, else from the registered
    /// <see cref="ClusterAppManifest"/>. Also the <see cref="RouteCacheClock"/> (with <c>TryAdd</c>, reading
    /// <see cref="TimeProvider.System"/> rather than the runtime's <see cref="TimeProvider"/>, so a test can move cache time
    /// alone). <see cref="AddRouteGrains"/> includes this; a gateway without a silo adds only this.
    /// </summary>
    public static IServiceCollection AddRouteGrainClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(new RouteCacheClock(TimeProvider.System));
        services.AddGrainMessage(RouteWireMessages.Name, RouteInvocationCodec.Instance, RouteReplyCodec.Instance);
        services.AddStatelessWorkerPlacement(RouteGrainReference.WorkerGrainType);
        services.AddRouteCacheRevalidation();
        services.AddRouteCacheHandoverMessage();
        services.AddStaticParams();
        if (services.Any(static d => d.ServiceType == typeof(StatelessWorkerRoutes)))
        {
            // Added already (binding the options twice would list every configured pattern twice).
            return services;
        }

        services.TryAddSingleton<IRouteCatalog>(static sp => new RouteCatalog(
            sp.GetService<ClusterAppManifest>()
            ?? throw new InvalidOperationException("Route grains need the app's routes: register its ClusterAppManifest (or an IRouteCatalog) as a singleton.")));
        services.AddOptions<ClusterRoutesOptions>()
            .Configure<IServiceProvider>(static (options, sp) => sp.GetService<IConfiguration>()?.GetSection(ClusterRoutesOptions.SectionName).Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterRoutesOptions>, ClusterRoutesOptionsValidator>());
        services.TryAddSingleton(static sp => new StatelessWorkerRoutes(
            sp.GetRequiredService<IRouteCatalog>(), sp.GetRequiredService<IOptions<ClusterRoutesOptions>>().Value));
        return services;
    }

    // The owner side of the route cache: the silo's store, its cap and its metrics.
    private static void AddRouteCache(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddOptions<RouteCacheOptions>()
            .Configure<IServiceProvider>(static (options, sp) => sp.GetService<IConfiguration>()?.GetSection(RouteCacheOptions.SectionName).Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RouteCacheOptions>, RouteCacheOptionsValidator>());
        services.TryAddSingleton<RouteCacheMetrics>();
        services.TryAddSingleton<IRouteCacheStore, RouteCacheStore>();
    }

    /// <summary>The route grain that owns <paramref name="pattern"/> (a normalised pattern such as <c>/api/users/[id]</c>).</summary>
    public static RouteGrainReference GetRouteGrain(this IGrainFactory grainFactory, string pattern)
        => GetRouteGrain(grainFactory, pattern, statelessWorker: false);

    /// <summary>
    /// The route grain of <paramref name="pattern"/>: the one that owns it, or with <paramref name="statelessWorker"/>
    /// the pool of workers that runs it on every silo (see <see cref="StatelessWorkerRoutes.Contains"/>).
    /// </summary>
    public static RouteGrainReference GetRouteGrain(this IGrainFactory grainFactory, string pattern, bool statelessWorker)
    {
        ArgumentNullException.ThrowIfNull(grainFactory);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return new RouteGrainReference(grainFactory.GetGrain(
            statelessWorker ? RouteGrainReference.WorkerGrainType : RouteGrainReference.GrainType, pattern));
    }
}
