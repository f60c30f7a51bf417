using Cluster.Runtime.Activation;
using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Messaging;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Placement;
using Cluster.Runtime.Telemetry;
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

        // First, so that its hosted service creates the exporter before the silo starts measuring.
        services.AddClusterMetricsExporter();

        // Likewise early: OTLP export (only when Cluster:Telemetry:OtlpEndpoint is set) listens before spans are made.
        services.AddClusterTelemetryExport();
        services.TryAddSingleton<RuntimeMetrics>();
        services.AddOptionsFromSection<ClusterRuntimeOptions>(ClusterRuntimeOptions.SectionName);
        services.AddOptionsFromSection<SiloOptions>(SiloOptions.SectionName);
        services.AddOptionsFromSection<GrainCollectionOptions>(GrainCollectionOptions.SectionName);
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterRuntimeOptions>, ClusterRuntimeOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrainCollectionOptions>, GrainCollectionOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SiloOptions>, SiloOptionsValidator>());
        services.AddClusterOptions();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GrainTypeRegistry>();
        services.TryAddSingleton<ActivationCatalog>();
        services.TryAddSingleton<ActivationCollector>();
        services.TryAddSingleton<LocalSiloStatus>();
        services.TryAddSingleton<ISiloStatus>(static sp => sp.GetRequiredService<LocalSiloStatus>());
        services.TryAddSingleton<IClusterReadiness>(static sp => sp.GetRequiredService<LocalSiloStatus>());
        services.AddSiloStats();
        services.TryAddSingleton<LocalGrainCallInvoker>();
        services.TryAddSingleton<IGrainFactory, GrainFactory>();
        services.AddHostedService<SiloHostedService>();

        // Alone (a table private to this process) the silo is the whole cluster: calls go straight to its catalog and
        // nothing networked is ever built. With a shared table (PostgreSQL, or the test cluster's) the same services
        // place grains over the membership view and reach other silos over the cluster transport.
        services.AddMembershipTable();
        services.TryAddSingleton(static sp => ClusterTransportIdentity.ForSilo(sp.GetRequiredService<LocalSiloStatus>().SiloAddress));
        services.AddClusterTransport();
        services.TryAddSingleton<MembershipAgent>();
        services.TryAddSingleton<IClusterMembership>(static sp => sp.GetRequiredService<MembershipAgent>());
        services.TryAddSingleton<IMembershipNotificationSink>(static sp => sp.GetRequiredService<MembershipAgent>());
        services.TryAddSingleton<GrainPlacement>();
        services.TryAddSingleton<IGrainLocator>(static sp => IsNetworked(sp)
            ? sp.GetRequiredService<GrainPlacement>()
            : new LocalGrainLocator(sp.GetRequiredService<LocalSiloStatus>(), sp.GetRequiredService<GrainPlacement>()));
        services.TryAddSingleton<OwnershipMonitor>();
        services.TryAddSingleton<ClusterSiloLifecycle>();
        services.TryAddSingleton<IInboundCallHandler, SiloInboundCallHandler>();
        services.TryAddSingleton(static sp => new LocalSiloCallTarget(
            sp.GetRequiredService<LocalSiloStatus>().SiloAddress, sp.GetRequiredService<LocalGrainCallInvoker>()));
        services.TryAddSingleton<ClusterGrainCallInvoker>();
        services.TryAddSingleton<IActivationAdmission>(static sp => IsNetworked(sp)
            ? sp.GetRequiredService<OwnershipMonitor>()
            : AdmitAll.Instance);
        services.TryAddSingleton<IGrainCallInvoker>(static sp => IsNetworked(sp)
            ? sp.GetRequiredService<ClusterGrainCallInvoker>()
            : sp.GetRequiredService<LocalGrainCallInvoker>());

        // Confirmed notices to every process that may hold what it learned from this silo; alone, only this process.
        services.TryAddSingleton<IClusterBroadcast>(static sp => IsNetworked(sp)
            ? new ClusterBroadcast(sp.GetRequiredService<ClusterTransport>(), sp.GetRequiredService<BroadcastReceivers>())
            : new LocalBroadcast(sp.GetRequiredService<BroadcastReceivers>(), sp.GetRequiredService<IOptions<MessagingOptions>>()));

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

    private static bool IsNetworked(IServiceProvider services) => services.GetRequiredService<IMembershipTable>().IsShared;
}
