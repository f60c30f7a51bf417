using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Cluster.Runtime.Identity;

namespace Cluster.Gateway.Dashboard;

/// <summary>
/// The app's routes as the dashboard lists them, built once: each pattern with its kind — by the rules the route cache
/// and the start-up route list apply (<see cref="RouteCacheability"/>, <see cref="StatelessWorkerRoutes"/>) — and the id
/// of the route grain whose owner the dashboard shows (the one <c>GrainRouteDispatcher</c> calls).
/// </summary>
internal sealed class DashboardRouteCatalog
{
    public const string StaticKind = "static";
    public const string IsrKind = "isr";
    public const string DynamicKind = "dynamic";
    public const string WorkerKind = "worker";

    public DashboardRouteCatalog(ClusterAppManifest manifest, StatelessWorkerRoutes workers)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(workers);
        Routes = manifest.Routes
            .OrderBy(static r => r.Pattern, StringComparer.Ordinal)
            .Select(r => workers.Contains(r.Pattern)
                ? new DashboardRouteInfo(r.Pattern, WorkerKind, null)
                : new DashboardRouteInfo(r.Pattern, KindOf(r), new GrainId(RouteGrainReference.GrainType, r.Pattern)))
            .ToArray();
    }

    /// <summary>Every route, by pattern (ordinal).</summary>
    public IReadOnlyList<DashboardRouteInfo> Routes { get; }

    /// <summary>
    /// The kind of a route that is not a stateless worker: <c>static</c>, <c>isr</c> or <c>dynamic</c> (a route without
    /// GET counts as dynamic: nothing of it is cached).
    /// </summary>
    public static string KindOf(RouteDefinition route)
    {
        ArgumentNullException.ThrowIfNull(route);
        if ((route.Methods & RouteMethods.Get) == 0 || !RouteCacheability.IsCacheable(route))
        {
            return DynamicKind;
        }

        return route.Config.Revalidate is > 0 ? IsrKind : StaticKind;
    }
}
