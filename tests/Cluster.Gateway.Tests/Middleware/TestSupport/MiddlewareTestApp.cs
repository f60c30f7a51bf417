using System.Text.Json;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Gateway.Tests.Middleware.TestSupport;

/// <summary>
/// A hand-built app manifest with a middleware and a few echo routes: <c>/echo</c> (GET, POST, PUT), <c>/open</c>,
/// <c>/rewritten</c>, <c>/items/[id]</c> (GET) and <c>/shared-header</c> (GET, answers <c>x-shared: handler</c>).
/// Every handler answers an <see cref="EchoBody"/> of what it saw and counts its calls in <see cref="Handlers"/>.
/// </summary>
public sealed class MiddlewareTestApp
{
    public const string MiddlewareType = "Tests.AppMiddleware";

    public CallCounter Handlers { get; } = new();

    public CallCounter Middleware { get; } = new();

    public ClusterAppManifest CreateManifest(
        Func<RouteRequest, MiddlewareContext, ValueTask<MiddlewareResult>> middleware,
        params MiddlewareMatcher[] matchers) =>
        new()
        {
            AppName = "t",
            Routes =
            [
                Route("/echo", RouteMethods.Get | RouteMethods.Post | RouteMethods.Put),
                Route("/open", RouteMethods.Get),
                Route("/rewritten", RouteMethods.Get),
                Route("/items/[id]", RouteMethods.Get),
                Route("/shared-header", RouteMethods.Get, static response => response.WithHeader("x-shared", "handler")),
            ],
            Middleware = new MiddlewareDefinition
            {
                SourceFile = "middleware.cs",
                HandlerType = MiddlewareType,
                Matchers = matchers,
                Invoke = (request, context) =>
                {
                    Middleware.Record(request);
                    return middleware(request, context);
                },
            },
        };

    public static async Task<EchoBody> ReadEchoAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonSerializer.Deserialize<EchoBody>(text, JsonSerializerOptions.Web)
            ?? throw new InvalidOperationException("The echo body was null: " + text);
    }

    private RouteDefinition Route(string pattern, RouteMethods methods, Func<RouteResponse, RouteResponse>? decorate = null) => new()
    {
        Pattern = pattern,
        SourceFile = "app" + pattern + "/route.cs",
        HandlerType = "Tests.Route" + pattern,
        Methods = methods,
        CreateHandler = _ => new DelegateRouteHandler(async (request, _) =>
        {
            Handlers.Record(request);
            var echo = new EchoBody(
                request.Method,
                request.Path,
                request.QueryString,
                request.Url.ToString(),
                request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal),
                request.Query.ToDictionary(q => q.Key, q => q.Value, StringComparer.Ordinal),
                await request.ReadTextAsync());
            var response = RouteResponse.Json(echo);
            return decorate is null ? response : decorate(response);
        }),
    };
}
