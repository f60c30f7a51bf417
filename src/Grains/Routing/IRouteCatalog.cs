using System.Diagnostics.CodeAnalysis;
using Cluster.Routing.Hosting;

namespace Cluster.Grains.Routing;

/// <summary>The app's routes by pattern, as the route grains look them up on activation.</summary>
public interface IRouteCatalog
{
    /// <summary>All routes, in manifest order.</summary>
    IReadOnlyList<RouteDefinition> Routes { get; }

    /// <summary>Finds the route whose normalised pattern is <paramref name="pattern"/> (ordinal match).</summary>
    bool TryGetRoute(string pattern, [NotNullWhen(true)] out RouteDefinition? route);
}
