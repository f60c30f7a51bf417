using System.Text;
using Cluster.Grains.Routing;
using Cluster.Grains.Tests.TestInfrastructure;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Cluster.Runtime;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Tests.Routing;

public sealed class StatelessWorkerRouteTests
{
    private const string WorkersKey = "Cluster:Routes:StatelessWorkers";

    [Fact]
    public async Task StatelessWorkerRoutes_FromRouteConfigAndFromConfiguration_AreWorkers_OthersAreNot()
    {
        await using var silo = await RouteSilo.StartAsync(
            [new(WorkersKey + ":0", "/configured/[id]")],
            Ok("/marked", new RouteConfig { StatelessWorker = true }),
            Ok("/configured/[id]"),
            Ok("/plain"));

        var sut = silo.Services.GetRequiredService<StatelessWorkerRoutes>();

        Assert.True(sut.Contains("/marked"));
        Assert.True(sut.Contains("/configured/[id]"));
        Assert.False(sut.Contains("/plain"));
        Assert.False(sut.Contains("/configured/1"));
        Assert.Equal(["/configured/[id]", "/marked"], sut.Patterns.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Dispatch_WorkerRouteUnderConcurrentCalls_RunsOnAPoolOfOneWorkerPerCore_OrdinaryRouteOnOneActivation()
    {
        // Arrange: every handler waits for the barrier, so each call finds the route's activations busy.
        var perRoute = Environment.ProcessorCount + 2;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var allEntered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = 0;
        async ValueTask<RouteResponse?> HoldAsync(RouteMethod method, RouteRequest request, RouteContext context)
        {
            if (Interlocked.Increment(ref entered) == 2 * perRoute)
            {
                allEntered.SetResult();
            }

            await release.Task;
            return RouteResponse.Text("ok");
        }

        await using var silo = await RouteSilo.StartAsync(
            RouteSilo.Route("/hot", RouteMethods.Get, HoldAsync, new RouteConfig { StatelessWorker = true }),
            RouteSilo.Route("/cold", RouteMethods.Get, HoldAsync));

        // Act: route grains are reentrant, so every call runs at once on whatever activations the runtime gave it.
        var calls = Enumerable.Range(0, perRoute)
            .SelectMany(_ => new[] { silo.DispatchAsync(RouteSilo.Invocation("/hot")), silo.DispatchAsync(RouteSilo.Invocation("/cold")) })
            .ToArray();
        await allEntered.Task.WithTimeout();
        release.SetResult();
        var responses = await Task.WhenAll(calls);

        // Assert
        Assert.All(responses, static r => Assert.Equal("ok", Encoding.UTF8.GetString(r.Body.Span)));
        Assert.Equal(Environment.ProcessorCount, silo.Activations(RouteWorkerGrain.GrainTypeName, "/hot"));
        Assert.Equal(0, silo.Activations(RouteGrain.GrainTypeName, "/hot"));
        Assert.Equal(1, silo.Activations(RouteGrain.GrainTypeName, "/cold"));
        Assert.DoesNotContain(silo.Logs.Entries, static e => e.EventId.Id == 4504);
    }

    [Fact]
    public async Task Invoke_WorkerGrainOfARouteThisSiloDoesNotMark_AnswersAndWarnsOfTheDifferentSettings()
    {
        await using var silo = await RouteSilo.StartAsync(Ok("/plain"));

        var response = await silo.GrainFactory.GetRouteGrain("/plain", statelessWorker: true).InvokeAsync(RouteSilo.Invocation("/plain")).WithTimeout();

        Assert.Equal(200, response.Response.Status);
        var warning = Assert.Single(silo.Logs.Entries, static e => e.EventId.Id == 4504);
        Assert.Contains("/plain", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Cluster:Routes:StatelessWorkers", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_ConfiguredPatternTheAppDoesNotHave_StopsStartupNamingIt()
    {
        using var host = BuildHost([new(WorkersKey + ":0", "/api/product/[id]")], Ok("/api/products/[id]"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Default));

        Assert.Contains("'/api/product/[id]'", error.Message, StringComparison.Ordinal);
        Assert.Contains(WorkersKey, error.Message, StringComparison.Ordinal);
        Assert.Contains("/api/products/[id]", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true, "Revalidate = 60")]
    [InlineData(false, "Dynamic = ForceStatic")]
    public async Task StartAsync_WorkerRouteThatIsCached_StopsStartupNamingTheRoute(bool byRouteConfig, string caching)
    {
        var config = caching.StartsWith("Revalidate", StringComparison.Ordinal)
            ? new RouteConfig { Revalidate = 60, StatelessWorker = byRouteConfig }
            : new RouteConfig { Dynamic = DynamicMode.ForceStatic, StatelessWorker = byRouteConfig };
        KeyValuePair<string, string?>[] settings = byRouteConfig ? [] : [new(WorkersKey + ":0", "/cached")];
        using var host = BuildHost(settings, Ok("/cached", config));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Default));

        Assert.Contains("'/cached' (app/cached/route.cs)", error.Message, StringComparison.Ordinal);
        Assert.Contains(caching, error.Message, StringComparison.Ordinal);
        Assert.Contains(byRouteConfig ? "StatelessWorker = true" : WorkersKey, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task StartAsync_WorkerRouteWithGenerateStaticParams_StopsStartup_BecauseTheRouteIsCached(bool byRouteConfig)
    {
        // GenerateStaticParams alone opts a route's GET into caching (Next.js 15+), by the rule the cache applies.
        var route = RouteSilo.Route(
            "/products/[id]",
            RouteMethods.Get,
            static (_, _, _) => ValueTask.FromResult<RouteResponse?>(RouteResponse.Text("ok")),
            new RouteConfig { StatelessWorker = byRouteConfig },
            static () => ValueTask.FromResult<IEnumerable<RouteParams>>([RouteParams.Of(("id", "1"))]));
        KeyValuePair<string, string?>[] settings = byRouteConfig ? [] : [new(WorkersKey + ":0", "/products/[id]")];
        using var host = BuildHost(settings, route);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync().WaitAsync(TestTimeouts.Default));

        Assert.Contains("'/products/[id]' (app/products/[id]/route.cs)", error.Message, StringComparison.Ordinal);
        Assert.Contains("(GenerateStaticParams)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_WorkerRouteWithTagsButNoCaching_Starts()
    {
        using var host = BuildHost([], Ok("/tagged", new RouteConfig { Tags = ["products"], Revalidate = 0, StatelessWorker = true }));

        await host.StartAsync().WaitAsync(TestTimeouts.Default);

        Assert.True(host.Services.GetRequiredService<StatelessWorkerRoutes>().Contains("/tagged"));
        await host.StopAsync().WaitAsync(TestTimeouts.Default);
    }

    [Fact]
    public void AddRouteGrainClient_WithoutARouteCatalog_TakesTheRoutesFromTheManifest()
    {
        var services = new ServiceCollection();
        services.AddSingleton(new ClusterAppManifest { AppName = "App", Routes = [Ok("/marked", new RouteConfig { StatelessWorker = true })] });
        services.AddRouteGrainClient().AddRouteGrainClient();
        using var provider = services.BuildServiceProvider();

        Assert.Equal(["/marked"], provider.GetRequiredService<StatelessWorkerRoutes>().Patterns);
    }

    [Fact]
    public void RouteGrainReference_AcceptsRouteAndWorkerGrains_RefusesOthers()
    {
        using var provider = new ServiceCollection().AddClusterRuntime().Services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IGrainFactory>();

        Assert.False(factory.GetRouteGrain("/a").IsStatelessWorker);
        Assert.True(factory.GetRouteGrain("/a", statelessWorker: true).IsStatelessWorker);
        Assert.Equal("/a", factory.GetRouteGrain("/a", statelessWorker: true).Pattern);
        Assert.Throws<ArgumentException>(() => new RouteGrainReference(factory.GetGrain(new GrainType("other"), "/a")));
    }

    private static RouteDefinition Ok(string pattern, RouteConfig? config = null)
        => RouteSilo.Route(pattern, RouteMethods.Get, static (_, _, _) => ValueTask.FromResult<RouteResponse?>(RouteResponse.Text("ok")), config);

    private static IHost BuildHost(KeyValuePair<string, string?>[] settings, params RouteDefinition[] routes)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddClusterRuntime().AddRouteGrains(new ClusterAppManifest { AppName = "TestApp", Routes = routes });
        return builder.Build();
    }
}
