using Cluster.Gateway.Dashboard;
using Cluster.Gateway.Pipeline;
using Cluster.Runtime.Hosting;

namespace Cluster.Gateway.Hosting;

/// <summary>Maps the gateway onto an application.</summary>
public static class GatewayApplicationExtensions
{
    /// <summary>
    /// Maps the cluster's own endpoints under <c>/_cluster</c> (with the gateway's <c>POST /_cluster/revalidate</c>, see
    /// <see cref="RevalidationEndpoint"/>, and its dashboard, <see cref="DashboardEndpoints"/>) and, for every other
    /// request, the app's routes.
    /// </summary>
    public static WebApplication MapClusterGateway(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapWhen(
            static context => context.Request.Path.StartsWithSegments(ClusterEndpoints.Prefix, StringComparison.Ordinal),
            static branch => branch.UseRouting().UseEndpoints(static endpoints =>
            {
                // Before the cluster endpoints, whose catch-all answers 404 for every other /_cluster path.
                RevalidationEndpoint.Map(endpoints);
                DashboardEndpoints.Map(endpoints);
                endpoints.MapClusterEndpoints();
            }));

        var handler = app.Services.GetRequiredService<GatewayRequestHandler>();
        app.Run(handler.InvokeAsync);
        return app;
    }
}
