using Cluster.Routing.Hosting;

namespace Cluster.Gateway.Hosting;

/// <summary>Builds the gateway application for an app's manifest.</summary>
public static class ClusterGateway
{
    /// <summary>
    /// Creates the gateway: ordinary ASP.NET Core configuration (<c>--Section:Key=value</c>, <c>Section__Key</c>,
    /// <c>--urls</c>), the app's routes, and — with nothing configured — an in-process silo.
    /// </summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="manifest">The app's manifest, emitted by the route generator.</param>
    /// <param name="configure">Lets a host (or a test) adjust services before the app is built.</param>
    public static WebApplication CreateApplication(string[] args, ClusterAppManifest manifest, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddClusterGateway(builder.Configuration, manifest);
        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapClusterGateway();
        return app;
    }
}
