using Cluster.Gateway.Dashboard;
using Cluster.Grains.Routing;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Gateway.Tests.Dashboard;

public sealed class DashboardRouteCatalogTests
{
    [Fact]
    public void Routes_EachKindOfRoute_KindAndGrainAsTheRuntimeServesIt()
    {
        // Arrange
        var manifest = new ClusterAppManifest
        {
            AppName = "kinds",
            Routes =
            [
                Route("/static", RouteMethods.Get, new RouteConfig { Dynamic = DynamicMode.ForceStatic }),
                Route("/isr", RouteMethods.Get, new RouteConfig { Revalidate = 60 }),
                Route("/dynamic", RouteMethods.Get, RouteConfig.Default),
                Route("/forced-dynamic", RouteMethods.Get, new RouteConfig { Revalidate = 60, Dynamic = DynamicMode.ForceDynamic }),
                Route("/post-only", RouteMethods.Post, new RouteConfig { Dynamic = DynamicMode.ForceStatic }),
                Route("/worker", RouteMethods.Get, new RouteConfig { StatelessWorker = true }),
            ],
        };
        var workers = new StatelessWorkerRoutes(new RouteCatalog(manifest), new ClusterRoutesOptions());

        // Act
        var routes = new DashboardRouteCatalog(manifest, workers).Routes.ToDictionary(static r => r.Pattern);

        // Assert
        Assert.Equal("static", routes["/static"].Kind);
        Assert.Equal("isr", routes["/isr"].Kind);
        Assert.Equal("dynamic", routes["/dynamic"].Kind);
        Assert.Equal("dynamic", routes["/forced-dynamic"].Kind);
        Assert.Equal("dynamic", routes["/post-only"].Kind);
        Assert.Equal("worker", routes["/worker"].Kind);
        Assert.Null(routes["/worker"].Grain);
        Assert.Equal(RouteGrainReference.GrainType, routes["/isr"].Grain!.Value.Type);
        Assert.Equal("/isr", routes["/isr"].Grain!.Value.Key);
    }

    private static RouteDefinition Route(string pattern, RouteMethods methods, RouteConfig config) => new()
    {
        Pattern = pattern,
        SourceFile = "app" + pattern + "/route.cs",
        HandlerType = "Kinds.Route",
        Methods = methods,
        Config = config,
        CreateHandler = static _ => throw new NotSupportedException("never called"),
    };
}
