using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Grains.Tests.Caching;

/// <summary>The tag index that <c>RevalidateTagAsync</c> fans out by (<see cref="RouteTagIndex"/>).</summary>
public sealed class RevalidationTagIndexTests
{
    [Fact]
    public void PatternsOf_Tag_ListsEveryCachedRouteWithItInManifestOrder()
    {
        var sut = CreateSut(
            Route("/z", new RouteConfig { Revalidate = 5, Tags = ["shop"] }),
            Route("/a/[id]", new RouteConfig { Dynamic = DynamicMode.ForceStatic, Tags = ["shop", "a"] }),
            Route("/m", new RouteConfig { Dynamic = DynamicMode.Error, Tags = ["shop"] }),
            Route("/p/[id]", new RouteConfig { Tags = ["shop"] }, generateStaticParams: true));

        Assert.Equal(["/z", "/a/[id]", "/m", "/p/[id]"], sut.PatternsOf("shop"));
        Assert.Equal(["/a/[id]"], sut.PatternsOf("a"));
    }

    [Fact]
    public void PatternsOf_RoutesThatAreNotCached_AreLeftOut()
    {
        var sut = CreateSut(
            Route("/auto", new RouteConfig { Tags = ["t"] }),
            Route("/dynamic", new RouteConfig { Dynamic = DynamicMode.ForceDynamic, Tags = ["t"] }),
            Route("/zero", new RouteConfig { Revalidate = 0, Tags = ["t"] }),
            Route("/cached", new RouteConfig { Revalidate = 1, Tags = ["t"] }));

        Assert.Equal(["/cached"], sut.PatternsOf("t"));
    }

    [Fact]
    public void PatternsOf_ComparesOrdinally()
    {
        var sut = CreateSut(Route("/a", new RouteConfig { Revalidate = 1, Tags = ["Products", "café"] }));

        Assert.Equal(["/a"], sut.PatternsOf("Products"));
        Assert.Empty(sut.PatternsOf("products"));
        Assert.Empty(sut.PatternsOf("PRODUCTS"));
        Assert.Empty(sut.PatternsOf("Products "));
        Assert.Equal(["/a"], sut.PatternsOf("café"));
        Assert.Empty(sut.PatternsOf("cafe\u0301"));
    }

    [Fact]
    public void PatternsOf_TagListedTwiceOnARoute_ListsTheRouteOnce()
    {
        var sut = CreateSut(
            Route("/a", new RouteConfig { Revalidate = 1, Tags = ["t", "u", "t"] }),
            Route("/b", new RouteConfig { Revalidate = 1, Tags = ["t", "t"] }));

        Assert.Equal(["/a", "/b"], sut.PatternsOf("t"));
    }

    [Fact]
    public void Tags_BlankOrNullTags_AreIgnored()
    {
        var sut = CreateSut(Route("/a", new RouteConfig { Revalidate = 1, Tags = ["", null!, "real"] }), Route("/b", new RouteConfig { Revalidate = 1, Tags = null! }));

        Assert.Equal(["real"], sut.Tags);
        Assert.Empty(sut.PatternsOf(string.Empty));
    }

    [Fact]
    public void PatternsOf_UnknownTag_IsEmpty()
    {
        var sut = CreateSut(Route("/a", new RouteConfig { Revalidate = 1, Tags = ["t"] }));

        Assert.Empty(sut.PatternsOf("nope"));
        Assert.Throws<ArgumentNullException>(() => sut.PatternsOf(null!));
    }

    [Fact]
    public void PatternsOf_NoRoutes_IsEmpty()
    {
        var sut = CreateSut();

        Assert.Empty(sut.Tags);
        Assert.Empty(sut.PatternsOf("t"));
    }

    private static RouteTagIndex CreateSut(params RouteDefinition[] routes)
    {
        var catalog = new RouteCatalog(new ClusterAppManifest { AppName = "TestApp", Routes = routes });
        return new RouteTagIndex(catalog, new StatelessWorkerRoutes(catalog, new ClusterRoutesOptions()));
    }

    private static RouteDefinition Route(string pattern, RouteConfig config, bool generateStaticParams = false)
        => new()
        {
            Pattern = pattern,
            SourceFile = $"app{pattern}/route.cs",
            HandlerType = "TestApp.Route",
            Methods = RouteMethods.Get,
            Config = config,
            CreateHandler = static _ => throw new InvalidOperationException("The index never runs a handler."),
            GenerateStaticParams = generateStaticParams ? static () => ValueTask.FromResult<IEnumerable<RouteParams>>([]) : null,
        };
}
