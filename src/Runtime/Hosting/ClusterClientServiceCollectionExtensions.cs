using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Messaging;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Placement;
using Cluster.Runtime.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cluster.Runtime.Hosting;

/// <summary>Registers a cluster client: a process that calls grains on silos but hosts none (a gateway with <c>Gateway:HostSilo=false</c>).</summary>
public static class ClusterClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds the grain factory over the cluster: membership read from the shared table (refreshed periodically and when a
    /// silo announces a change), placement over the Active silos, and the cluster transport. A hosted service reads the
    /// membership before the process reports ready and closes the connections on stop.
    /// </summary>
    public static IServiceCollection AddClusterClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddLogging();
        services.AddClusterMetricsExporter();
        services.AddClusterTelemetryExport();
        services.TryAddSingleton(TimeProvider.System);
        services.AddClusterOptions();
        services.AddMembershipTable();
        services.TryAddSingleton(static _ => ClusterTransportIdentity.ForClient("gateway"));
        services.AddClusterTransport();
        services.TryAddSingleton<MembershipClient>();
        services.TryAddSingleton<IClusterMembership>(static sp => sp.GetRequiredService<MembershipClient>());
        services.TryAddSingleton<IMembershipNotificationSink>(static sp => sp.GetRequiredService<MembershipClient>());
        services.TryAddSingleton<GrainPlacement>();
        services.TryAddSingleton<IGrainLocator>(static sp => sp.GetRequiredService<GrainPlacement>());
        services.TryAddSingleton<IGrainCallInvoker, ClusterGrainCallInvoker>();
        services.TryAddSingleton<IGrainFactory, GrainFactory>();
        services.AddSiloStatsClient();
        services.TryAddSingleton<ClusterClientReadiness>();
        services.TryAddSingleton<IClusterReadiness>(static sp => sp.GetRequiredService<ClusterClientReadiness>());
        services.AddHostedService<ClusterClientHostedService>();
        return services;
    }
}
