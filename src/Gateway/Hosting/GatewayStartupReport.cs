using Cluster.Gateway.Diagnostics;
using Cluster.Grains.Matching;
using Cluster.Grains.Routing;
using Cluster.Routing.Hosting;
using Cluster.Runtime.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Cluster.Gateway.Hosting;

/// <summary>Prints, once the server listens, what is served and where, then the route list (<see cref="RouteTableSummary"/>).</summary>
internal sealed partial class GatewayStartupReport : IHostedService
{
    private readonly IServer _server;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ClusterAppManifest _manifest;
    private readonly RouteTable _routes;
    private readonly StatelessWorkerRoutes _workers;
    private readonly ILogger<GatewayStartupReport> _logger;
    private readonly string _topology;

    public GatewayStartupReport(
        IServer server,
        IHostApplicationLifetime lifetime,
        ClusterAppManifest manifest,
        RouteTable routes,
        StatelessWorkerRoutes workers,
        ILogger<GatewayStartupReport> logger,
        IServiceProvider services)
    {
        // A gateway hosting a silo has the silo's status; a cluster client has none.
        _topology = services.GetService<ISiloStatus>() is { } silo
            ? $"with its own silo {silo.SiloAddress}"
            : "as a client of the cluster's silos";
        _server = server;
        _lifetime = lifetime;
        _manifest = manifest;
        _routes = routes;
        _workers = workers;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _lifetime.ApplicationStarted.Register(static state => ((GatewayStartupReport)state!).Report(), this);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Report()
    {
        var addresses = _server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        Log.Listening(_logger, _manifest.AppName, _routes.Routes.Count, _topology, string.Join(", ", addresses));
        if (_logger.IsEnabled(LogLevel.Information))
        {
            Log.RouteTable(_logger, RouteTableSummary.Format(_manifest.Routes, _workers));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.Listening, LogLevel.Information, "Cluster gateway serving app {App} ({RouteCount} routes) {Topology} on {Addresses}")]
        public static partial void Listening(ILogger logger, string app, int routeCount, string topology, string addresses);

        [LoggerMessage(GatewayEventIds.RouteTableSummary, LogLevel.Information, "Routes:\n{RouteTable}")]
        public static partial void RouteTable(ILogger logger, string routeTable);
    }
}
