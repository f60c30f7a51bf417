using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Gateway.Middleware;

/// <summary>
/// The app's one middleware, ready to run: its definition, its compiled matchers, where its background work goes and
/// the proxy its rewrites to other hosts use. Registered only when the manifest has a middleware, so an app without
/// one pays a null check per request and nothing else.
/// </summary>
internal sealed class AppMiddleware
{
    private readonly Func<RouteRequest, MiddlewareContext, ValueTask<MiddlewareResult>> _invoke;
    private readonly Action<Task> _waitUntil;

    public AppMiddleware(ClusterAppManifest manifest, MiddlewareBackgroundWork background, MiddlewareProxy proxy)
    {
        Definition = manifest.Middleware
            ?? throw new InvalidOperationException($"The manifest of app '{manifest.AppName}' has no middleware.");
        Evaluator = new MiddlewareMatcherEvaluator(Definition.Matchers);
        Proxy = proxy;
        _invoke = Definition.Invoke;
        _waitUntil = background.Track;
    }

    /// <summary>The middleware as the route generator emitted it.</summary>
    public MiddlewareDefinition Definition { get; }

    /// <summary>The middleware class's full name, for logs.</summary>
    public string HandlerType => Definition.HandlerType;

    /// <summary>Decides whether the middleware runs for a request.</summary>
    public MiddlewareMatcherEvaluator Evaluator { get; }

    /// <summary>Forwards rewrites to other hosts.</summary>
    public MiddlewareProxy Proxy { get; }

    /// <summary>Calls the middleware. It may throw synchronously or through the returned task.</summary>
    public ValueTask<MiddlewareResult> InvokeAsync(RouteRequest request, CancellationToken aborted) =>
        _invoke(request, new MiddlewareContext(_waitUntil, aborted));
}
