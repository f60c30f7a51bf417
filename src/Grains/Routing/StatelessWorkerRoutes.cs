using System.Collections.Frozen;
using Cluster.Grains.Caching;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Grains.Routing;

/// <summary>
/// The route patterns that run as stateless-worker pools (grain type <c>route-worker</c>: several activations on every
/// silo) instead of one route grain in the cluster: routes whose <see cref="RouteConfig.StatelessWorker"/> is set, and
/// those listed in <c>Cluster:Routes:StatelessWorkers</c>. Gateways dispatch by it and silos check their activations
/// against it; both compute it from the same manifest and configuration.
/// </summary>
public sealed class StatelessWorkerRoutes
{
    private readonly FrozenSet<string> _patterns;
    private readonly bool _any;

    /// <exception cref="InvalidOperationException">The configuration names an unknown pattern, or a worker route is cached.</exception>
    internal StatelessWorkerRoutes(IRouteCatalog catalog, ClusterRoutesOptions options)
    {
        var failures = Validate(catalog, options, out var patterns);
        if (failures.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, failures));
        }

        _patterns = patterns;
        _any = patterns.Count > 0;
    }

    /// <summary>The worker patterns.</summary>
    public IReadOnlyCollection<string> Patterns => _patterns;

    /// <summary>Whether <paramref name="pattern"/> (a normalised route pattern) runs as a stateless-worker pool.</summary>
    public bool Contains(string pattern) => _any && _patterns.Contains(pattern);

    /// <summary>Computes the worker patterns and every reason they cannot be used (each message names the setting or route to fix).</summary>
    internal static List<string> Validate(IRouteCatalog catalog, ClusterRoutesOptions options, out FrozenSet<string> patterns)
    {
        var failures = new List<string>();
        var workers = new HashSet<string>(StringComparer.Ordinal);
        foreach (var route in catalog.Routes)
        {
            if (route.Config.StatelessWorker)
            {
                workers.Add(route.Pattern);
            }
        }

        foreach (var pattern in options.StatelessWorkers ?? [])
        {
            if (string.IsNullOrWhiteSpace(pattern))
            {
                failures.Add($"{ClusterRoutesOptions.SectionName}:StatelessWorkers has a blank entry; list route patterns such as '/api/products/[id]'.");
            }
            else if (catalog.TryGetRoute(pattern, out _))
            {
                workers.Add(pattern);
            }
            else
            {
                failures.Add(
                    $"{ClusterRoutesOptions.SectionName}:StatelessWorkers lists '{pattern}', which is not a route pattern of the app. " +
                    $"Write patterns as the app's folders give them, e.g. '/api/products/[id]'. The app's patterns: {Describe(catalog)}.");
            }
        }

        foreach (var pattern in workers)
        {
            var route = catalog.TryGetRoute(pattern, out var found) ? found : null;
            if (route is not null && CachingSetting(route) is { } caching)
            {
                var marked = route.Config.StatelessWorker
                    ? "its RouteConfig sets StatelessWorker = true"
                    : $"{ClusterRoutesOptions.SectionName}:StatelessWorkers lists it";
                failures.Add(
                    $"Route '{pattern}' ({route.SourceFile}) cannot be a stateless worker: {marked}, but the route is cached " +
                    $"({caching}). A stateless-worker route owns no cache; remove one of the two.");
            }
        }

        patterns = workers.ToFrozenSet(StringComparer.Ordinal);
        return failures;
    }

    // The setting that makes a route cached, by the one rule the route cache itself applies (RouteCacheability), so a
    // route the cache would own can never be a stateless worker; null when the route is not cached.
    private static string? CachingSetting(RouteDefinition route)
    {
        if (!RouteCacheability.IsCacheable(route))
        {
            return null;
        }

        var config = route.Config;
        if (config.Revalidate is > 0)
        {
            return $"Revalidate = {config.Revalidate}";
        }

        return config.Dynamic is DynamicMode.ForceStatic or DynamicMode.Error ? $"Dynamic = {config.Dynamic}" : "GenerateStaticParams";
    }

    private static string Describe(IRouteCatalog catalog)
    {
        const int Shown = 20;
        var patterns = catalog.Routes.Select(static r => r.Pattern).Take(Shown + 1).ToList();
        return patterns.Count > Shown
            ? string.Join(", ", patterns.Take(Shown)) + ", ..."
            : patterns.Count == 0 ? "(none)" : string.Join(", ", patterns);
    }
}
