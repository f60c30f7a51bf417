using System.Diagnostics.Metrics;
using Cluster.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cluster.Runtime.Diagnostics;

/// <summary>Registration of the metrics exporter, shared by a silo (<c>AddClusterRuntime</c>) and a client (<c>AddClusterClient</c>).</summary>
internal static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IMeterFactory"/> (if the host did not), the <see cref="PrometheusExporter"/> behind
    /// <c>GET /_cluster/metrics</c> with its options (section <see cref="PrometheusExporterOptions.SectionName"/>), the
    /// same exporter as the <see cref="IMetricsReader"/> (the dashboard's and the silo statistics' numbers), the
    /// <see cref="MembershipMetrics"/> every cluster process records on, and a hosted service that creates the exporter at
    /// start. Idempotent.
    /// </summary>
    public static IServiceCollection AddClusterMetricsExporter(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddOptionsFromSection<PrometheusExporterOptions>(PrometheusExporterOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<PrometheusExporter>();
        services.TryAddSingleton<IMetricsReader>(static sp => sp.GetRequiredService<PrometheusExporter>());

        // Both a silo's membership agent and a gateway's membership client record on it.
        services.TryAddSingleton<MembershipMetrics>();
        services.AddHostedService<PrometheusExporterStartup>();
        return services;
    }
}
