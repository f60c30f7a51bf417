namespace Cluster.Routing.Hosting;

/// <summary>One route of an app, as the route generator found it at build time.</summary>
public sealed class RouteDefinition
{
    /// <summary>
    /// The normalised pattern in Next.js form, e.g. <c>/</c>, <c>/api/users/[id]</c>, <c>/docs/[...slug]</c>,
    /// <c>/shop/[[...slug]]</c>. Route groups and the leaf are removed; <c>%5F</c> is already <c>_</c>.
    /// It is the key of the route's grain.
    /// </summary>
    public required string Pattern { get; init; }

    /// <summary>The route file, relative to the app's root, e.g. <c>app/api/users/[id]/route.cs</c>.</summary>
    public required string SourceFile { get; init; }

    /// <summary>The route class's full name, for logs.</summary>
    public required string HandlerType { get; init; }

    /// <summary>The methods the file implements itself (not the automatic HEAD and OPTIONS).</summary>
    public required RouteMethods Methods { get; init; }

    /// <summary>The route's configuration (its <c>Config</c> property, or the default).</summary>
    public RouteConfig Config { get; init; } = RouteConfig.Default;

    /// <summary>Builds the route's handler; for a non-static class the services come from the silo's container.</summary>
    public required Func<IServiceProvider, IRouteHandler> CreateHandler { get; init; }

    /// <summary>The route's <c>GenerateStaticParams</c>, when it has one.</summary>
    public Func<ValueTask<IEnumerable<RouteParams>>>? GenerateStaticParams { get; init; }
}
