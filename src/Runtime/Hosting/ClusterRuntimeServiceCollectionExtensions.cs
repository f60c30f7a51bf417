using Cluster.Runtime.Activation;
using Cluster.Runtime.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Hosting;

/// <summary>Registers the cluster runtime (an in-process silo) in a service collection.</summary>
public static class ClusterRuntimeServiceCollectionExtensions
{
    /// <summary>
    /// Adds the runtime: the grain factory, the call invoker, the activation catalog, idle collection and the
    /// <see cref="ISiloStatus"/>, plus a hosted service that starts the silo and stops it gracefully. Options bind from
    /// <see cref="ClusterRuntimeOptions.SectionName"/> and <see cref="GrainCollectionOptions.SectionName"/> when an
    /// <see cref="IConfiguration"/> is registered, then <paramref name="configure"/> applies. Every default is
    /// registered with <c>TryAdd*</c> (including <see cref="TimeProvider.System"/>), so a caller may replace any of them.
    /// </summary>
    public static IClusterRuntimeBuilder AddClusterRuntime(this IServiceCollection services, Action<ClusterRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddLogging();
        services.AddOptions<ClusterRuntimeOptions>()
            .Configure<IServiceProvider>(static (options, sp) => sp.GetService<IConfiguration>()?.GetSection(ClusterRuntimeOptions.SectionName).Bind(options))
            .ValidateOnStart();
        services.AddOptions<GrainCollectionOptions>()
            .Configure<IServiceProvider>(static (options, sp) => sp.GetService<IConfiguration>()?.GetSection(GrainCollectionOptions.SectionName).Bind(options))
            .ValidateOnStart();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterRuntimeOptions>, ClusterRuntimeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrainCollectionOptions>, GrainCollectionOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrainTypeRegistry>();
        services.TryAddSingleton<ActivationCatalog>();
        services.TryAddSingleton<ActivationCollector>();
        services.TryAddSingleton<LocalSiloStatus>();
        services.TryAddSingleton<ISiloStatus>(static sp => sp.GetRequiredService<LocalSiloStatus>());
        services.TryAddSingleton<IGrainCallInvoker, LocalGrainCallInvoker>();
        services.TryAddSingleton<IGrainFactory, GrainFactory>();
        services.AddHostedService<SiloHostedService>();

        // The host gives hosted services 30 s to stop by default; a silo needs its drain plus its deactivations, so the
        // host waits at least that long (plus a margin) unless it was configured to wait longer still.
        services.AddOptions<HostOptions>().Configure<IOptions<ClusterRuntimeOptions>, IOptions<GrainCollectionOptions>>(
            static (host, runtime, collection) =>
            {
                var needed = runtime.Value.DrainTimeout + collection.Value.DeactivationTimeout + TimeSpan.FromSeconds(5);
                if (host.ShutdownTimeout < needed)
                {
                    host.ShutdownTimeout = needed;
                }
            });

        return new ClusterRuntimeBuilder(services);
    }
}
