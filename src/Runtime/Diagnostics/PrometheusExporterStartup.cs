using Microsoft.Extensions.Hosting;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// Creates the exporter when the host starts rather than at the first scrape: a listener only sees measurements made
/// after it exists, so a lazily created one would miss everything before the first <c>GET /_cluster/metrics</c>.
/// </summary>
internal sealed class PrometheusExporterStartup : IHostedService
{
    // Held only so that resolving this service creates the exporter.
    private readonly PrometheusExporter _exporter;

    public PrometheusExporterStartup(PrometheusExporter exporter, IServiceProvider services)
    {
        _exporter = exporter;

        // A silo's own gauges (a gateway without a silo has none): created here, so a scrape finds them.
        _ = services.GetService(typeof(RuntimeMetrics));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(_exporter);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
