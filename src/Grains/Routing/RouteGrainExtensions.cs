using Cluster.Routing.Hosting;
using Cluster.Runtime;
using Cluster.Runtime.Hosting;
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
        return builder.AddGrain<RouteGrain>(RouteGrainReference.GrainType);
    }

    /// <summary>The route grain that owns <paramref name="pattern"/> (a normalised pattern such as <c>/api/users/[id]</c>).</summary>
    public static RouteGrainReference GetRouteGrain(this IGrainFactory grainFactory, string pattern)
    {
        ArgumentNullException.ThrowIfNull(grainFactory);
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        return new RouteGrainReference(grainFactory.GetGrain(RouteGrainReference.GrainType, pattern));
    }
}
