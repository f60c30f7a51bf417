using System.Net;
using Cluster.IntegrationTests.Infrastructure;

namespace Cluster.IntegrationTests.InProcess;

/// <summary>
/// Three silos and a gateway without a silo of its own, in this process on real loopback sockets: the sample app is
/// served through the cluster, route grains spread over the silos, and one route has one activation in the cluster.
/// </summary>
public sealed class TestClusterTests
{
    [Fact]
    public async Task ThreeSilos_ServeTheSampleApp_ThroughAGatewayWithoutASilo()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 3, gateways: 1);
        using var client = new HttpClient { BaseAddress = cluster.Gateways[0].HttpAddress };

        foreach (var path in SamplePaths.Idempotent)
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }

        var product = await client.GetStringAsync("/api/products/1");
        Assert.Contains("\"id\":1", product, StringComparison.Ordinal);

        // Every route grain lives on exactly one silo, and the routes are spread over more than one silo.
        var placed = cluster.Silos.SelectMany(static s => s.ActivatedRoutes().Select(r => (Silo: s.Name, Route: r))).ToList();
        Assert.Equal(placed.Count, placed.Select(static p => p.Route).Distinct().Count());
        Assert.True(placed.Select(static p => p.Silo).Distinct().Count() >= 2, string.Join(", ", placed));
    }

    [Fact]
    public async Task ConcurrentFirstCalls_FromTwoGateways_ActivateTheRouteOnce()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 3, gateways: 2);
        using var first = new HttpClient { BaseAddress = cluster.Gateways[0].HttpAddress };
        using var second = new HttpClient { BaseAddress = cluster.Gateways[1].HttpAddress };

        var calls = Enumerable.Range(0, 1000)
            .Select(i => (i % 2 == 0 ? first : second).GetAsync("/api/products/" + (1 + (i % 3))))
            .ToArray();
        var responses = await Task.WhenAll(calls);

        Assert.All(responses, static r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, cluster.Silos.Sum(static s => s.ActivationCount("/api/products/[id]")));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task Gateway_IsReady_OnceItSeesActiveSilos()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 1, gateways: 1);
        using var client = new HttpClient { BaseAddress = cluster.Gateways[0].HttpAddress };

        using var ready = await client.GetAsync("/_cluster/readyz");
        using var siloReady = await new HttpClient().GetAsync(new Uri(cluster.Silos[0].HttpAddress, "/_cluster/readyz"));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, siloReady.StatusCode);
    }

    [Fact]
    public async Task GatewayWithTheWrongSecret_IsRefused_AndTheClusterKeepsServing()
    {
        await using var cluster = await TestCluster.StartAsync(silos: 2, gateways: 1);
        // A refused handshake is "not started", which the gateway retries until its response timeout: keep that short here.
        var intruder = await cluster.AddGatewayAsync("--Cluster:Secret=not-the-secret", "--Cluster:Messaging:ResponseTimeout=00:00:02");
        using var good = new HttpClient { BaseAddress = cluster.Gateways[0].HttpAddress };
        using var bad = new HttpClient { BaseAddress = intruder.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };

        using var refused = await bad.GetAsync("/api/products/1");
        using var served = await good.GetAsync("/api/products/1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Contains(cluster.Silos, static s => s.Logs.Entries.Any(static e => e.EventId.Id == 4613 && e.Level == LogLevel.Warning));
        Assert.DoesNotContain("not-the-secret", cluster.DescribeLogs(), StringComparison.Ordinal);
    }
}
