using System.Net;
using Cluster.Gateway.Caching;
using Cluster.Gateway.Dashboard;
using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Dispatch;
using Cluster.Gateway.Middleware;
using Cluster.Gateway.Pipeline;
using Cluster.Grains.Caching;
using Cluster.Grains.Matching;
using Cluster.Grains.Routing;
using Cluster.Routing.Hosting;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Messaging;
using Cluster.Runtime.Networking;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Hosting;

/// <summary>Registers the gateway's services.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gateway for <paramref name="manifest"/>: options, the compiled route table, dispatch through route grains,
    /// the dashboard (<c>/_cluster/dashboard</c>, idle until watched), and the in-process silo when
    /// <c>Gateway:HostSilo</c> says so (the default with <c>InMemory</c> membership), or a cluster client that reaches
    /// the silos over the network.
    /// </summary>
    public static IServiceCollection AddClusterGateway(this IServiceCollection services, IConfiguration configuration, ClusterAppManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(manifest);

        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<MiddlewareOptions>()
            .BindConfiguration(MiddlewareOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(
                static options => options.ProxyAllowedHosts.All(static host => !string.IsNullOrWhiteSpace(host)),
                "Gateway:Middleware:ProxyAllowedHosts has a blank entry; list host names (api.example.com) or host:port pairs.")
            .ValidateOnStart();
        services.AddOptions<NearCacheOptions>().BindConfiguration(NearCacheOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        var cluster = configuration.GetSection(ClusterOptions.SectionName).Get<ClusterOptions>() ?? new ClusterOptions();
        var gateway = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();

        // The embedded default hosts the one silo here; with a shared membership store the gateway is a cluster client
        // unless told to host a silo as well. (A gateway without a silo over a table private to this process has no
        // silo to call: the client's start-up says so.)
        var hostSilo = gateway.HostSilo ?? cluster.Membership == MembershipKind.InMemory;
        services.TryAddSingleton(manifest);
        services.TryAddSingleton(static sp => RouteTable.Build(sp.GetRequiredService<ClusterAppManifest>().Routes));
        services.TryAddSingleton<IRouteDispatcher, GrainRouteDispatcher>();
        services.AddMetrics();
        services.TryAddSingleton<GatewayMetrics>();
        services.TryAddSingleton<RecentFailures>();
        services.AddClusterDashboard();
        services.TryAddSingleton<GatewayRequestHandler>();
        services.AddHostedService<GatewayStartupReport>();
        if (hostSilo)
        {
            services.AddClusterRuntime().AddRouteGrains(manifest);
        }
        else
        {
            services.AddClusterClient().AddRouteGrainClient();
        }

        AddNearCache(services);
        AddMiddleware(services, manifest);
        AddDrainDelay(services);

        services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayOptions>>(static (kestrel, options) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.Value.MaxRequestBodySize;
            // Kestrel answers 414 itself past its request-line limit; keep that limit just above ours (the request line
            // also holds the method and version) so the gateway's own check decides.
            kestrel.Limits.MaxRequestLineSize = Math.Max(kestrel.Limits.MaxRequestLineSize, options.Value.MaxUrlLength + 64);
        });
        return services;
    }

    /// <summary>
    /// <see cref="GatewayOptions.DrainDelay"/>: a lifecycle service whose <c>StoppingAsync</c> waits it out while the web
    /// server still serves, and a shutdown timeout longer by as much. Configured after <c>AddClusterRuntime</c>, which
    /// raises the timeout to what a silo's drain needs, so the delay comes on top of that.
    /// </summary>
    private static void AddDrainDelay(IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<GatewayDrainDelay>();
        services.AddOptions<HostOptions>().Configure<IOptions<GatewayOptions>>(
            static (host, gateway) => host.ShutdownTimeout += gateway.Value.DrainDelay);
    }

    /// <summary>
    /// The gateway's side of the route cache: the near-cache, registered as the receiver of its owners' invalidations and
    /// as an observer of lost silo connections (one instance under every role), emptied on membership changes.
    /// </summary>
    private static void AddNearCache(IServiceCollection services)
    {
        // Route-cache time apart from the runtime's timers, so a test can move it alone (a host may register its own first).
        services.TryAddSingleton(static _ => new RouteCacheClock(TimeProvider.System));

        // The index of GenerateStaticParams paths, built when the host starts, for the 404 of unlisted params without a
        // call (a no-op when the silo's registration added it already). Until it is built every path counts as listed.
        services.AddStaticParams();
        services.TryAddSingleton<GatewayNearCache>();
        services.AddSingleton<IBroadcastReceiver>(static sp => sp.GetRequiredService<GatewayNearCache>());
        services.AddSingleton<IConnectionLossObserver>(static sp => sp.GetRequiredService<GatewayNearCache>());
        services.AddHostedService<NearCacheMembershipWatcher>();
    }

    /// <summary>
    /// The middleware's services. <see cref="AppMiddleware"/> is registered only when the app has a middleware: the
    /// request handler takes it as an optional dependency, so an app without one pays a null check per request.
    /// </summary>
    private static void AddMiddleware(IServiceCollection services, ClusterAppManifest manifest)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MiddlewareProxy>();
        services.TryAddSingleton<MiddlewareBackgroundWork>();
        // Registered after the silo (AddClusterRuntime above): hosted services stop in reverse order, so the background
        // work is waited for after the web server stopped (its hosted service is added last by WebApplicationBuilder)
        // and before the silo its tasks may still call stops.
        services.AddHostedService(static sp => sp.GetRequiredService<MiddlewareBackgroundWork>());
        if (manifest.Middleware is not null)
        {
            services.TryAddSingleton<AppMiddleware>();
        }

        services.AddHttpClient(MiddlewareProxy.HttpClientName, static client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(static () => new SocketsHttpHandler
            {
                // A proxy passes redirects and cookies back to the client; it never follows or keeps them itself.
                AllowAutoRedirect = false,
                UseCookies = false,
                UseProxy = false,
                AutomaticDecompression = DecompressionMethods.None,
                ConnectTimeout = TimeSpan.FromSeconds(10),
            })
            // Gateway:Middleware:ProxyTimeout is applied per request by MiddlewareProxy, and its own logs say what failed.
            .RemoveAllLoggers();
    }
}
