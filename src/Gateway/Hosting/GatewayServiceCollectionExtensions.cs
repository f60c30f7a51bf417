using Cluster.Gateway.Dispatch;
using Cluster.Gateway.Pipeline;
using Cluster.Gateway.Routing;
using Cluster.Grains.Routing;
using Cluster.Routing.Hosting;
using Cluster.Runtime.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Hosting;

/// <summary>Registers the gateway's services.</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>
    /// Adds the gateway for <paramref name="manifest"/>: options, the compiled route table, dispatch through route grains,
    /// and the in-process silo when <c>Gateway:HostSilo</c> says so (the default with <c>InMemory</c> membership).
    /// </summary>
    /// <exception cref="InvalidOperationException">The settings ask for a topology this build cannot run.</exception>
    public static IServiceCollection AddClusterGateway(this IServiceCollection services, IConfiguration configuration, ClusterAppManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(manifest);

        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.SectionName);

        var cluster = configuration.GetSection(ClusterOptions.SectionName).Get<ClusterOptions>() ?? new ClusterOptions();
        var gateway = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        if (cluster.Membership != MembershipKind.InMemory)
        {
            throw new InvalidOperationException(
                $"Cluster:Membership={cluster.Membership} needs silos in other processes, which this build cannot reach yet " +
                "(the networked runtime is not built). Leave Cluster:Membership unset to run the embedded cluster.");
        }

        if (gateway.HostSilo == false)
        {
            throw new InvalidOperationException(
                "Gateway:HostSilo=false leaves this gateway without silos: with InMemory membership the only silo is the one " +
                "inside the gateway. Remove the setting (or set it to true).");
        }

        services.TryAddSingleton(manifest);
        services.TryAddSingleton(static sp => RouteTable.Build(sp.GetRequiredService<ClusterAppManifest>().Routes));
        services.TryAddSingleton<IRouteDispatcher, GrainRouteDispatcher>();
        services.TryAddSingleton<GatewayRequestHandler>();
        services.AddHostedService<GatewayStartupReport>();
        services.AddClusterRuntime().AddRouteGrains(manifest);

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
}
