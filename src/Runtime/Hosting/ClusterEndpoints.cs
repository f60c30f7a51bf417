using Cluster.Runtime.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cluster.Runtime.Hosting;

/// <summary>The cluster's reserved endpoints (<c>/_cluster/*</c>) that every process — gateway or silo — serves.</summary>
public static class ClusterEndpoints
{
    /// <summary>The reserved path prefix: an app can never route here (<c>_cluster</c> is a private folder name).</summary>
    public const string Prefix = "/_cluster";

    /// <summary>
    /// Maps <c>/_cluster/healthz</c> (200 while the process is alive) and <c>/_cluster/readyz</c> (200 once the local silo
    /// is active, or for a gateway without a silo once it sees an active silo; 503 while starting or draining) and
    /// <c>/_cluster/metrics</c> (this process's cluster meters in the Prometheus text format, without authentication: it is
    /// meant for a scraper inside the cluster). Anything else under the prefix is 404.
    /// </summary>
    public static IEndpointRouteBuilder MapClusterEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet(Prefix + "/healthz", static () => Results.Text("ok\n"));
        // Draining starts with the host's stopping signal, whatever the role: a process that got SIGTERM is unready at once,
        // even while it keeps serving for the gateway's drain delay, before its silo or client begins to stop.
        endpoints.MapGet(Prefix + "/readyz", static (IClusterReadiness readiness, IHostApplicationLifetime lifetime) =>
            lifetime.ApplicationStopping.IsCancellationRequested
                ? Results.Text("not ready: ShuttingDown\n", statusCode: StatusCodes.Status503ServiceUnavailable)
                : readiness.IsReady
                    ? Results.Text("ready\n")
                    : Results.Text($"not ready: {readiness.State}\n", statusCode: StatusCodes.Status503ServiceUnavailable));
        // Resolved per request rather than as a parameter: a host that registered no runtime has no exporter, and a
        // parameter that is not a service would be taken for a request body.
        endpoints.MapGet(Prefix + "/metrics", static (HttpContext context) =>
            context.RequestServices.GetService<PrometheusExporter>() is { } exporter
                ? Results.Text(exporter.Collect(), PrometheusExporter.ContentType)
                : Results.NotFound());
        endpoints.Map(Prefix + "/{**rest}", static () => Results.NotFound());
        return endpoints;
    }
}
