using Cluster.Gateway.Caching;
using Cluster.Gateway.Dispatch;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Cluster.Grains.Caching;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Gateway.Tests.Caching.TestSupport;

/// <summary>
/// A gateway whose route owners are a <see cref="ScriptedRouteDispatcher"/> and whose cache time is a fake clock, with
/// routes <c>/isr/[id]</c> (GET, POST; Revalidate 10), <c>/static/[id]</c> (ForceStatic), <c>/dynamic/[id]</c> and
/// <c>/listed/[id]</c> (lists id 1, DynamicParams = false), and a middleware on every path that adds <c>x-mw: 1</c>, counts
/// its runs and, for <c>x-case: cache-control</c>, sets <c>Cache-Control: public, max-age=1</c> on the response.
/// </summary>
public sealed class NearCachePipelineFixture : IAsyncLifetime
{
    public const string MiddlewareCacheControl = "public, max-age=1";

    public FakeTimeProvider Clock { get; } = new();

    public CallCounter Middleware { get; } = new();

    public GatewayHost Host { get; private set; } = null!;

    internal ScriptedRouteDispatcher Owners { get; } = new();

    internal GatewayNearCache NearCache => Host.Services.GetRequiredService<GatewayNearCache>();

    public async Task InitializeAsync() =>
        Host = await GatewayHost.StartAsync(
            CreateManifest(),
            services =>
            {
                services.AddSingleton<IRouteDispatcher>(Owners);
                services.AddSingleton(new RouteCacheClock(Clock));
            });

    public async Task DisposeAsync() => await Host.DisposeAsync();

    private ClusterAppManifest CreateManifest() => new()
    {
        AppName = "near-cache",
        Routes =
        [
            Route("/isr/[id]", RouteMethods.Get | RouteMethods.Post, new RouteConfig { Revalidate = 10 }),
            Route("/static/[id]", RouteMethods.Get, new RouteConfig { Dynamic = DynamicMode.ForceStatic }),
            Route("/dynamic/[id]", RouteMethods.Get, RouteConfig.Default),
            Route("/listed/[id]", RouteMethods.Get, new RouteConfig { DynamicParams = false }),
        ],
        Middleware = new MiddlewareDefinition
        {
            SourceFile = "middleware.cs",
            HandlerType = "Tests.NearCacheMiddleware",
            Matchers = [],
            Invoke = (request, _) =>
            {
                Middleware.Record(request);
                var result = MiddlewareResult.Next().WithResponseHeader("x-mw", "1");
                if (request.Headers.TryGetValue("x-case", out var testCase) && testCase == "cache-control")
                {
                    result = result.WithResponseHeader("Cache-Control", MiddlewareCacheControl);
                }

                return new ValueTask<MiddlewareResult>(result);
            },
        },
    };

    private static RouteDefinition Route(string pattern, RouteMethods methods, RouteConfig config) => new()
    {
        Pattern = pattern,
        SourceFile = "app" + pattern + "/route.cs",
        HandlerType = "Tests.Route" + pattern,
        Methods = methods,
        Config = config,
        CreateHandler = static _ => new DelegateRouteHandler(static (_, _) =>
            throw new InvalidOperationException("The scripted dispatcher answers every call; no handler runs.")),
        GenerateStaticParams = pattern == "/listed/[id]"
            ? static () => new ValueTask<IEnumerable<RouteParams>>([RouteParams.Of(("id", "1"))])
            : null,
    };
}
