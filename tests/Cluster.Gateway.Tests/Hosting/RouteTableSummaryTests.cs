using Cluster.Gateway.Hosting;
using Cluster.Grains.Routing;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Gateway.Tests.Hosting;

/// <summary>The start-up route list: each pattern, its methods, and how its GET is served.</summary>
public sealed class RouteTableSummaryTests
{
    [Fact]
    public void Format_EveryKindOfRoute_OneAlignedLinePerPatternSortedWithHowItsGetIsServed()
    {
        // Arrange
        RouteDefinition[] routes =
        [
            Route("/api/products/[id]", RouteMethods.Get | RouteMethods.Delete, RouteConfig.Default),
            Route("/robots.txt", RouteMethods.Get, new RouteConfig { Dynamic = DynamicMode.ForceStatic }),
            Route("/api/featured", RouteMethods.Get, new RouteConfig { Revalidate = 60 }),
            Route("/blog/[slug]", RouteMethods.Get, RouteConfig.Default, generateStaticParams: true),
            Route("/api/cart", RouteMethods.Post, new RouteConfig { Revalidate = 60 }),
            Route("/api/hot", RouteMethods.Get, new RouteConfig { StatelessWorker = true }),
            Route("/never", RouteMethods.Get, new RouteConfig { Dynamic = DynamicMode.ForceDynamic, Revalidate = 60 }),
        ];
        var catalog = new RouteCatalog(new ClusterAppManifest { AppName = "TestApp", Routes = routes });

        // Act
        var lines = RouteTableSummary.Format(routes, new StatelessWorkerRoutes(catalog, new ClusterRoutesOptions())).Split('\n');

        // Assert
        Assert.Equal(
            [
                "Route               Methods      GET served",
                "/api/cart           POST         -",
                "/api/featured       GET          ISR, revalidate 60 s",
                "/api/hot            GET          dynamic, stateless worker",
                "/api/products/[id]  GET, DELETE  dynamic",
                "/blog/[slug]        GET          static, prerendered params",
                "/never              GET          dynamic",
                "/robots.txt         GET          static",
            ],
            lines);
    }

    private static RouteDefinition Route(string pattern, RouteMethods methods, RouteConfig config, bool generateStaticParams = false) => new()
    {
        Pattern = pattern,
        SourceFile = $"app{pattern}/route.cs",
        HandlerType = "TestApp.Route",
        Methods = methods,
        Config = config,
        CreateHandler = static _ => throw new InvalidOperationException("Not run."),
        GenerateStaticParams = generateStaticParams ? static () => ValueTask.FromResult<IEnumerable<RouteParams>>([]) : null,
    };
}
