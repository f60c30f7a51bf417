using Cluster.Runtime.Activation;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Placement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Diagnostics;

/// <summary>Registers the silo statistics every silo answers and every cluster process can ask for (<see cref="ISiloStatsClient"/>).</summary>
internal static class SiloStatsServiceCollectionExtensions
{
    /// <summary>
    /// On a silo (<c>AddClusterRuntime</c>): the system grain <see cref="SiloStatsGrain"/> that answers for this silo, its
    /// <see cref="SiloStatsProvider"/>, and everything <see cref="AddSiloStatsClient"/> adds. Calling it again is a no-op.
    /// </summary>
    public static IServiceCollection AddSiloStats(this IServiceCollection services)
    {
        new ClusterRuntimeBuilder(services).AddGrain<SiloStatsGrain>(SiloStatsGrain.GrainType);

        // The membership view only when the silo has peers: an embedded silo builds nothing networked.
        services.TryAddSingleton(static sp => new SiloStatsProvider(
            sp.GetRequiredService<LocalSiloStatus>(),
            sp.GetRequiredService<ActivationCatalog>(),
            sp.GetRequiredService<IOptions<SiloOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IMembershipTable>().IsShared ? sp.GetRequiredService<IClusterMembership>() : null,
            sp.GetService<IMetricsReader>()));
        return services.AddSiloStatsClient();
    }

    /// <summary>
    /// On any cluster process (<c>AddClusterClient</c>, and silos through <see cref="AddSiloStats"/>): the grain message
    /// <see cref="SiloStatsGrain.MessageName"/>, the grain type's stateless-worker placement (so this process never looks
    /// for an owner of it), and the <see cref="ISiloStatsClient"/>. Calling it again is a no-op.
    /// </summary>
    public static IServiceCollection AddSiloStatsClient(this IServiceCollection services)
    {
        services.AddGrainMessage<SiloStatsRequest, SiloStats>(SiloStatsGrain.MessageName, SiloStatsCodec.Instance, SiloStatsCodec.Instance);
        services.AddStatelessWorkerPlacement(SiloStatsGrain.GrainType);
        services.TryAddSingleton<ISiloStatsClient>(static sp =>
        {
            var networked = sp.GetRequiredService<IMembershipTable>().IsShared;
            return new SiloStatsClient(
                sp.GetService<SiloStatsProvider>(),
                networked ? sp.GetRequiredService<IClusterTransport>() : null,
                networked ? sp.GetRequiredService<IClusterMembership>() : null);
        });
        return services;
    }
}
