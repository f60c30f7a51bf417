using System.Collections.Frozen;
using Cluster.Grains.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Grains.Caching;

/// <summary>
/// Which routes a <c>RevalidateTagAsync(tag)</c> reaches: tag → the patterns of the cached routes whose
/// <c>RouteConfig.Tags</c> list it. Tags are fixed per route at build time, so the manifest is the whole index: it is
/// computed once per process, the same on every gateway and silo, and never changes. Routes that are not cached (see
/// <see cref="RouteCacheability"/>, and stateless workers) hold no entry to drop and are left out. Tags compare
/// ordinally (case matters); a blank tag in a route's list is ignored. Immutable and thread-safe.
/// </summary>
internal sealed class RouteTagIndex
{
    private readonly FrozenDictionary<string, string[]> _patternsByTag;

    /// <summary>Indexes the cached routes of <paramref name="catalog"/>.</summary>
    /// <param name="catalog">The app's routes.</param>
    /// <param name="workers">The stateless-worker routes, which are never cached.</param>
    public RouteTagIndex(IRouteCatalog catalog, StatelessWorkerRoutes workers)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(workers);

        // Lists keep manifest order, so a tag's fan-out (and its log lines) is the same in every process.
        var patternsByTag = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var route in catalog.Routes)
        {
            if (!RouteCacheability.IsCacheable(route) || workers.Contains(route.Pattern))
            {
                continue;
            }

            foreach (var tag in route.Config.Tags ?? [])
            {
                if (string.IsNullOrEmpty(tag))
                {
                    continue;
                }

                if (!patternsByTag.TryGetValue(tag, out var patterns))
                {
                    patternsByTag.Add(tag, patterns = []);
                }

                // A tag listed twice on one route reaches its owner once.
                if (patterns.Count == 0 || !string.Equals(patterns[^1], route.Pattern, StringComparison.Ordinal))
                {
                    patterns.Add(route.Pattern);
                }
            }
        }

        _patternsByTag = patternsByTag.ToFrozenDictionary(static p => p.Key, static p => p.Value.ToArray(), StringComparer.Ordinal);
    }

    /// <summary>Every tag of a cached route.</summary>
    public IReadOnlyCollection<string> Tags => _patternsByTag.Keys;

    /// <summary>
    /// The patterns of the cached routes tagged <paramref name="tag"/>, in manifest order; empty for a tag no cached
    /// route has. Allocation-free.
    /// </summary>
    public IReadOnlyList<string> PatternsOf(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return _patternsByTag.TryGetValue(tag, out var patterns) ? patterns : [];
    }
}
