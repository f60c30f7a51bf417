using System.Reflection;
using System.Text;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Generators.Tests.Harness;

/// <summary>A compiled and loaded test app with its generated manifest.</summary>
internal sealed class LoadedApp(ClusterAppManifest manifest, Assembly appAssembly)
{
    public ClusterAppManifest Manifest { get; } = manifest;

    public Assembly AppAssembly { get; } = appAssembly;

    public RouteDefinition RouteFor(string pattern) => Manifest.Routes.Single(r => r.Pattern == pattern);

    /// <summary>Creates an instance of an app type (a service for a route's constructor).</summary>
    public object CreateAppObject(string typeName) => Activator.CreateInstance(AppAssembly.GetType(typeName, throwOnError: true)!)!;

    /// <summary>Invokes a route's handler the way the runtime does and returns its response.</summary>
    public static async Task<RouteResponse?> InvokeAsync(
        RouteDefinition route,
        RouteMethod method,
        string url,
        RouteParams? routeParams = null,
        IServiceProvider? services = null,
        string? body = null)
    {
        var handler = route.CreateHandler(services ?? TestServiceProvider.Empty);
        var request = RouteRequest.Create(method.ToString().ToUpperInvariant(), new Uri(url), body: body);
        var context = new RouteContext(routeParams ?? RouteParams.Empty, NullRevalidator.Instance, CancellationToken.None);
        return await handler.InvokeAsync(method, request, context);
    }

    /// <summary>Invokes the app's middleware the way the gateway does and returns its result.</summary>
    public async Task<MiddlewareResult> InvokeMiddlewareAsync(string url, Action<Task>? waitUntil = null)
    {
        var middleware = Manifest.Middleware ?? throw new InvalidOperationException("The app has no middleware.");
        var request = RouteRequest.Create("GET", new Uri(url));
        var context = new MiddlewareContext(waitUntil ?? (_ => { }), CancellationToken.None);
        return await middleware.Invoke(request, context);
    }

    public static string BodyOf(RouteResponse response) => Encoding.UTF8.GetString(response.Body.Span);
}
