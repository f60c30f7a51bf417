using Cluster.Grains.Wire;
using Cluster.Routing.Hosting;
using Cluster.Runtime;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cluster.Grains.Routing;

/// <summary>Registers route grains on a silo and reaches them from a gateway.</summary>
public static class RouteGrainExtensions
{
    /// <summary>
    /// Registers the route grain type, the catalog of <paramref name="manifest"/>'s routes and the route revalidator
    /// (all with <c>TryAdd*</c>, so a host may replace the catalog or the revalidator).
    /// </summary>
    /// <exception cref="ArgumentException">Two routes of the manifest share a pattern.</exception>
    public static IClusterRuntimeBuilder AddRouteGrains(this IClusterRuntimeBuilder builder, ClusterAppManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(manifest);

        builder.Services.TryAddSingleton<IRouteCatalog>(new RouteCatalog(manifest));
        builder.Services.TryAddSingleton<IRouteRevalidator, LocalRouteRevalidator>();
        builder.Services.AddRouteGrainClient();
        return builder.AddGrain<RouteGrain>(RouteGrainReference.GrainType);
    }

    /// <summary>
    /// Registers what a process needs to call route grains on other silos: the wire format of a route call
    /// (<see cref="RouteWireMessages.Name"/>). <see cref="AddRouteGrains"/> includes it; a gateway without a silo adds
    /// only this.
    /// </summary>
    public static IServiceCollection AddRouteGrainClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.AddGrainMessage(RouteWireMessages.Name, RouteInvocationCodec.Instance, RouteResponseCodec.Instance);
    }

    /// <summary>The route grain that owns <paramref name="pattern"/> (a normalised pattern such as <c>/api/users/[id]</c>).</summary>
    public static RouteGrainReference GetRouteGrain(this IGrainFactory grainFactory, string pattern)
    {
        ArgumentNullException.ThrowIfNull(grainFactory);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return new RouteGrainReference(grainFactory.GetGrain(RouteGrainReference.GrainType, pattern));
    }
}
