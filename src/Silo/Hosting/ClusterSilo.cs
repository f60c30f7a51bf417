using Cluster.Grains.Routing;
using Cluster.Routing.Hosting;
using Cluster.Runtime.Hosting;

namespace Cluster.Silo.Hosting;

/// <summary>Builds a silo process: the runtime hosting the app's route grains, and the cluster endpoints on <c>--urls</c>.</summary>
public static class ClusterSilo
{
    /// <summary>Where the silo's HTTP endpoints listen when <c>--urls</c> is not given (the gateway has port 5000).</summary>
    public const string DefaultUrls = "http://localhost:5100";

    /// <summary>Creates the silo application for an app's manifest.</summary>
    /// <param name="args">Command-line arguments (<c>--Section:Key=value</c>, <c>--urls</c>).</param>
    /// <param name="manifest">The app's manifest, emitted by the route generator.</param>
    /// <param name="configure">Lets a host (or a test cluster) adjust services before the app is built.</param>
    public static WebApplication CreateApplication(string[] args, ClusterAppManifest manifest, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var builder = WebApplication.CreateBuilder(args);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrls);
        }

        builder.Services.AddClusterRuntime().AddRouteGrains(manifest);
        builder.Services.AddHostedService<StandaloneSiloWarning>();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapClusterEndpoints();
        return app;
    }
}
