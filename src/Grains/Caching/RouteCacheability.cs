using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Grains.Caching;

/// <summary>
/// Whether a route's GET responses are cached (Next.js 15+ rule, nextjs-semantics.md §2.4): <c>Dynamic</c> is
/// ForceStatic or Error, <c>Revalidate</c> is above 0, or the route has <c>GenerateStaticParams</c> — and <c>Dynamic</c>
/// is not ForceDynamic, which Next.js never caches whatever else is set. Other methods are
/// never cached, and neither is a stateless-worker route (a start-up error when both are set). One rule for owners
/// and gateways, so both agree on which routes carry <c>x-route-cache</c>.
/// </summary>
internal static class RouteCacheability
{
    /// <summary>Whether GETs of <paramref name="route"/> are cached, leaving stateless workers aside.</summary>
    public static bool IsCacheable(RouteDefinition route)
    {
        ArgumentNullException.ThrowIfNull(route);
        var config = route.Config;
        if (config.Dynamic == DynamicMode.ForceDynamic)
        {
            return false;
        }

        return config.Dynamic is DynamicMode.ForceStatic or DynamicMode.Error
            || config.Revalidate > 0
            || route.GenerateStaticParams is not null;
    }
}
