using System.Net;
using Cluster.Gateway.Hosting;
using Cluster.Grains.Routing;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.Routing;
using Cluster.Routing.Wire;
using Cluster.Runtime;
using Cluster.Runtime.Activation;
using Cluster.Silo.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Cluster.IntegrationTests.InProcess;

/// <summary>
/// Hot routes as stateless-worker pools (<c>Cluster:Routes:StatelessWorkers</c>): a pool of route grains on every silo,
/// requests spread by the gateway, no single owner — while ordinary routes keep exactly one activation in the cluster.
/// </summary>
public sealed class StatelessWorkerTests
{
    private const string WorkerRoute = "/api/products/[id]";
    private const string WorkerPath = "/api/products/1";
    private const string OrdinaryRoute = "/api/products";
    private const string WorkerSetting = "--Cluster:Routes:StatelessWorkers:0=" + WorkerRoute;

    [Fact]
    public async Task WorkerRoute_UnderLoad_RunsOnEverySilo_AndKeepsServingWhileASiloStopsGracefully()
    {
        // Arrange: three silos and a gateway without a silo; a steady load on a worker route and an ordinary one.
        await using var cluster = await TestCluster.StartAsync(3, 1, WorkerSetting);
        await using var load = new LoadGenerator(cluster.Gateways[0].HttpAddress, [WorkerPath, OrdinaryRoute], workers: 8);
        await load.WaitForMoreSuccessesAsync(300, TimeSpan.FromSeconds(60));

        // Assert: the worker route has workers on every silo (only calls create them, so the gateway spread its
        // requests) and no single-owner grain anywhere; the ordinary route has one activation in the whole cluster.
        Assert.All(cluster.Silos, silo => Assert.True(Workers(silo, WorkerRoute) >= 1, $"{silo.Name} has no worker of {WorkerRoute}: {Describe(cluster)}"));
        Assert.All(cluster.Silos, static silo => Assert.Equal(0, silo.ActivationCount(WorkerRoute)));
        Assert.Equal(1, cluster.Silos.Sum(static silo => silo.ActivationCount(OrdinaryRoute)));
        Assert.Single(cluster.Silos, static silo => silo.ActivatedRoutes().Contains(OrdinaryRoute));

        // Act: one silo leaves the way SIGTERM makes it.
        var leaving = cluster.Silos[1];
        await cluster.StopSiloAsync(leaving);
        await load.WaitForMoreSuccessesAsync(300, TimeSpan.FromSeconds(60));
        await load.StopAsync();

        // Assert: nothing failed, and the remaining silos serve the worker route.
        Assert.True(load.Failures.Count == 0, string.Join("\n", load.Failures) + "\n" + cluster.DescribeLogs());
        Assert.All(cluster.RunningSilos, silo => Assert.True(Workers(silo, WorkerRoute) >= 1, Describe(cluster)));
        Assert.Equal(0, Workers(leaving, WorkerRoute));
    }

    [Fact]
    public async Task WorkerRoute_CalledFromASilo_RunsOnThatSiloOnly()
    {
        await using var cluster = await TestCluster.StartAsync(3, 0, "--Cluster:Routes:StatelessWorkers:0=/api/deals/a");
        var caller = cluster.Silos[2];
        var grain = caller.Services.GetRequiredService<IGrainFactory>().GetRouteGrain("/api/deals/a", statelessWorker: true);

        for (var i = 0; i < 20; i++)
        {
            var response = await grain.InvokeAsync(DealsInvocation()).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(200, response.Response.Status);
        }

        // Orleans' StatelessWorker placement: the caller's own silo while it is Active.
        Assert.True(Workers(caller, "/api/deals/a") >= 1);
        Assert.All(cluster.Silos.Where(s => s != caller), static silo => Assert.Equal(0, Workers(silo, "/api/deals/a")));
    }

    [Fact]
    public async Task EmbeddedGateway_WorkerRoute_ServesFromAPoolInItsOwnSilo()
    {
        await using var app = ClusterGateway.CreateApplication(
            ["--urls", "http://127.0.0.1:0", "--environment", "Development", WorkerSetting], ShopAppManifest.Instance);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.GetAsync(WorkerPath)));

        Assert.All(responses, static r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var activations = app.Services.GetRequiredService<ActivationCatalog>().Activations.Where(static a => a.GrainId.Key == WorkerRoute).ToList();
        Assert.NotEmpty(activations);
        Assert.All(activations, static a => Assert.Equal(RouteGrainReference.WorkerGrainType, a.GrainId.Type));
        Assert.True(activations.Count <= Environment.ProcessorCount);
        foreach (var response in responses)
        {
            response.Dispose();
        }

        await app.StopAsync();
    }

    [Theory]
    [InlineData("silo")]
    [InlineData("embedded gateway")]
    [InlineData("gateway without a silo")]
    public async Task UnknownWorkerPattern_StopsStartup_NamingIt(string process)
    {
        string[] settings = ["--urls", "http://127.0.0.1:0", "--Silo:Port=" + FreePort.Next(), "--Cluster:Routes:StatelessWorkers:0=/api/product/[id]"];

        // The gateway builds its dispatcher while it maps its endpoints, so it may fail before StartAsync; either way
        // the process never takes a request.
        var error = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var app = process switch
            {
                "silo" => ClusterSilo.CreateApplication(settings, ShopAppManifest.Instance),
                "embedded gateway" => ClusterGateway.CreateApplication(settings, ShopAppManifest.Instance),
                _ => ClusterGateway.CreateApplication([.. settings, "--Gateway:HostSilo=false"], ShopAppManifest.Instance),
            };
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        });

        Assert.Contains("Cluster:Routes:StatelessWorkers lists '/api/product/[id]'", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The silo's stateless workers of <paramref name="pattern"/> now.</summary>
    private static int Workers(ClusterHost silo, string pattern)
        => silo.Services.GetRequiredService<ActivationCatalog>().Activations
            .Count(a => a.GrainId.Type == RouteGrainReference.WorkerGrainType && a.GrainId.Key == pattern);

    private static string Describe(TestCluster cluster)
        => string.Join("; ", cluster.Silos.Select(static s => $"{s.Name}: {string.Join(", ", s.ActivatedRoutes())}"));

    private static RouteInvocation DealsInvocation() => new()
    {
        Pattern = "/api/deals/a",
        Handler = RouteMethod.Get,
        Method = "GET",
        Scheme = "http",
        Host = "localhost",
        Path = "/api/deals/a",
        QueryString = string.Empty,
        Headers = RouteHeaders.Empty,
        Params = RouteParams.Empty,
    };
}
