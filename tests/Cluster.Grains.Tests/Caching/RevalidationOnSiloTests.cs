using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Grains.Tests.TestInfrastructure;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Cluster.Routing.Wire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Grains.Tests.Caching;

/// <summary>
/// <see cref="ClusterRouteRevalidator"/> against real route owners on an in-process silo: what it reports is what the
/// owner dropped, and the next request renders again.
/// </summary>
public sealed class RevalidationOnSiloTests
{
    private int _renders;

    [Fact]
    public async Task RevalidatePathAsync_CachedPath_OwnerDropsItAndOnlyItRendersAgain()
    {
        await using var silo = await StartAsync();
        var sut = CreateSut(silo);
        await AssertReply(silo, "a", RouteCacheStatus.Miss, "a 1");
        await AssertReply(silo, "a", RouteCacheStatus.Hit, "a 1");
        await AssertReply(silo, "b", RouteCacheStatus.Miss, "b 2");

        var outcome = await sut.RevalidatePathAsync("/news/a?utm=mail", CancellationToken.None).WithTimeout();

        Assert.Equal(new RevalidationOutcome(1, 1), outcome);
        await AssertReply(silo, "a", RouteCacheStatus.Miss, "a 3");
        await AssertReply(silo, "b", RouteCacheStatus.Hit, "b 2");
    }

    [Fact]
    public async Task RevalidateTagAsync_Tag_OwnerDropsEveryEntryOfTheRoute()
    {
        await using var silo = await StartAsync();
        var sut = CreateSut(silo);
        await AssertReply(silo, "a", RouteCacheStatus.Miss, "a 1");
        await AssertReply(silo, "b", RouteCacheStatus.Miss, "b 2");

        var outcome = await sut.RevalidateTagAsync("news", CancellationToken.None).WithTimeout();

        Assert.Equal(new RevalidationOutcome(1, 2), outcome);
        await AssertReply(silo, "a", RouteCacheStatus.Miss, "a 3");
        await AssertReply(silo, "b", RouteCacheStatus.Miss, "b 4");
    }

    [Fact]
    public async Task RevalidatePathAsync_PatternOfTheRoute_OwnerDropsEveryEntry()
    {
        await using var silo = await StartAsync();
        var sut = CreateSut(silo);
        await AssertReply(silo, "a", RouteCacheStatus.Miss, "a 1");
        await AssertReply(silo, "b", RouteCacheStatus.Miss, "b 2");

        var outcome = await sut.RevalidatePathAsync("/news/[id]", CancellationToken.None).WithTimeout();

        Assert.Equal(new RevalidationOutcome(1, 2), outcome);
        await AssertReply(silo, "b", RouteCacheStatus.Miss, "b 3");
    }

    [Fact]
    public async Task RevalidatePathAsync_PathNotCachedYet_ConfirmsWithNothingDropped()
    {
        await using var silo = await StartAsync();
        var sut = CreateSut(silo);

        var outcome = await sut.RevalidatePathAsync("/news/never-requested", CancellationToken.None).WithTimeout();

        Assert.Equal(new RevalidationOutcome(1, 0), outcome);
    }

    private Task<RouteSilo> StartAsync() => RouteSilo.StartAsync(RouteSilo.Route(
        "/news/[id]",
        RouteMethods.Get,
        (_, _, context) => ValueTask.FromResult<RouteResponse?>(RouteResponse.Text($"{context.Params["id"]} {Interlocked.Increment(ref _renders)}")),
        new RouteConfig { Revalidate = 3600, Tags = ["news"] }));

    // Built here rather than resolved, so the test does not depend on how a host registers it.
    private static ClusterRouteRevalidator CreateSut(RouteSilo silo)
    {
        var catalog = silo.Services.GetRequiredService<IRouteCatalog>();
        var workers = silo.Services.GetRequiredService<StatelessWorkerRoutes>();
        return new ClusterRouteRevalidator(
            catalog, workers, new RouteTagIndex(catalog, workers), silo.GrainFactory, TimeProvider.System, NullLogger<ClusterRouteRevalidator>.Instance);
    }

    private static async Task AssertReply(RouteSilo silo, string id, RouteCacheStatus cache, string body)
    {
        var reply = await silo.ReplyAsync(new RouteInvocation
        {
            Pattern = "/news/[id]",
            Handler = RouteMethod.Get,
            Method = "GET",
            Scheme = "https",
            Host = "shop.example",
            Path = "/news/" + id,
            QueryString = string.Empty,
            Headers = RouteHeaders.Empty,
            Params = RouteParams.Of(("id", id)),
        });

        Assert.Equal((cache, body), (reply.Cache, System.Text.Encoding.UTF8.GetString(reply.Response.Body.Span)));
    }
}
