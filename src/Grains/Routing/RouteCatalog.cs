using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using Cluster.Routing.Hosting;

namespace Cluster.Grains.Routing;

/// <summary>The routes of a <see cref="ClusterAppManifest"/>, fixed at startup.</summary>
internal sealed class RouteCatalog : IRouteCatalog
{
    private readonly FrozenDictionary<string, RouteDefinition> _routes;

    /// <exception cref="ArgumentException">Two routes share a pattern (their grain would be ambiguous).</exception>
    public RouteCatalog(ClusterAppManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var routes = new Dictionary<string, RouteDefinition>(StringComparer.Ordinal);
        foreach (var route in manifest.Routes)
        {
            if (!routes.TryAdd(route.Pattern, route))
            {
                throw new ArgumentException(
                    $"App '{manifest.AppName}' has two routes with pattern '{route.Pattern}' ('{routes[route.Pattern].SourceFile}' and '{route.SourceFile}').",
                    nameof(manifest));
            }
        }

        Routes = manifest.Routes;
        _routes = routes.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IReadOnlyList<RouteDefinition> Routes { get; }

    public bool TryGetRoute(string pattern, [NotNullWhen(true)] out RouteDefinition? route)
        => _routes.TryGetValue(pattern, out route);
}
