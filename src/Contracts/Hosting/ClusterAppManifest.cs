namespace Cluster.Routing.Hosting;

/// <summary>Everything the gateway and the silos need to know about an app, emitted by the route generator.</summary>
public sealed class ClusterAppManifest
{
    /// <summary>The app's name (its assembly name).</summary>
    public required string AppName { get; init; }

    /// <summary>The app's routes, in the order the generator found them (the router sorts them itself).</summary>
    public required IReadOnlyList<RouteDefinition> Routes { get; init; }

    /// <summary>The app's middleware (<c>middleware.cs</c> next to <c>app/</c>), or <c>null</c> when it has none.</summary>
    public MiddlewareDefinition? Middleware { get; init; }
}
