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
    /// <c>GET /_cluster/metrics</c> with its options (section <see cref="PrometheusExporterOptions.SectionName"/>), and a
    /// hosted service that creates the exporter at start. Idempotent.
    /// </summary>
    public static IServiceCollection AddClusterMetricsExporter(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddOptionsFromSection<PrometheusExporterOptions>(PrometheusExporterOptions.SectionName);
        services.TryAddSingleton<PrometheusExporter>();
        services.AddHostedService<PrometheusExporterStartup>();
        return services;
    }
}
