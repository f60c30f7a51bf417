using System.Diagnostics.Metrics;
using System.Net;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Tests.Diagnostics;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task GetMetrics_SiloHost_Answers200WithExpositionOfItsMeters()
    {
        // Arrange: a silo host on a real socket, with a meter from its own factory that measured before the first scrape.
        await using var app = await StartAsync(static services => services.AddClusterRuntime());
        var meter = app.Services.GetRequiredService<IMeterFactory>().Create("Cluster.EndpointTest");
        meter.CreateCounter<long>("cluster.endpoint_test.hits", "{hit}", "Hits.").Add(3, new KeyValuePair<string, object?>("kind", "x"));
        using var client = new HttpClient { BaseAddress = Address(app) };

        // Act
        using var response = await client.GetAsync(new Uri("/_cluster/metrics", UriKind.Relative)).WithTimeout();
        var body = await response.Content.ReadAsStringAsync().WithTimeout();

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var families = PrometheusTextParser.Parse(body);
        Assert.Equal(3, families.Value("cluster_endpoint_test_hits_total", "cluster_endpoint_test_hits_total", ("kind", "x")));
    }

    [Fact]
    public async Task GetMetrics_SiloWithActivations_ShowsThemByGrainType()
    {
        // Arrange: two activations of one grain type on an embedded silo.
        await using var app = await StartAsync(static services => services.AddClusterRuntime().AddGrain<EchoGrain>(EchoGrain.Type));
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        await grains.GetGrain(EchoGrain.Type, "a").InvokeAsync<Ping, int>(new Ping(1)).WithTimeout();
        await grains.GetGrain(EchoGrain.Type, "b").InvokeAsync<Ping, int>(new Ping(2)).WithTimeout();
        using var client = new HttpClient { BaseAddress = Address(app) };

        // Act
        var families = PrometheusTextParser.Parse(await client.GetStringAsync(new Uri("/_cluster/metrics", UriKind.Relative)).WithTimeout());

        // Assert
        Assert.Equal("gauge", families["cluster_grain_activations"].Type);
        Assert.Equal(2, families.Value("cluster_grain_activations", "cluster_grain_activations", ("grain_type", "echo")));
    }

    private static async Task<WebApplication> StartAsync(Action<IServiceCollection> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        configure(builder.Services);
        var app = builder.Build();
        app.MapClusterEndpoints();
        await app.StartAsync().WithTimeout();
        return app;
    }

    private static Uri Address(WebApplication app)
        => new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First() + "/");
}
