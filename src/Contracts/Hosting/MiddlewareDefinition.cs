namespace Cluster.Routing.Hosting;

/// <summary>The app's one middleware, as the route generator found and compiled it.</summary>
public sealed class MiddlewareDefinition
{
    /// <summary>The middleware file relative to the app's root (<c>middleware.cs</c>).</summary>
    public required string SourceFile { get; init; }

    /// <summary>The middleware class's full name, for logs.</summary>
    public required string HandlerType { get; init; }

    /// <summary>The compiled matcher rules; empty when the middleware has no <c>Matcher</c> (it runs everywhere).</summary>
    public required IReadOnlyList<MiddlewareMatcher> Matchers { get; init; }

    /// <summary>Calls the middleware's <c>Run</c> directly (generated; no reflection).</summary>
    public required Func<RouteRequest, MiddlewareContext, ValueTask<MiddlewareResult>> Invoke { get; init; }
}
