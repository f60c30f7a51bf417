using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Tests.Networking;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Tests.Diagnostics;

/// <summary>The transport's instruments, read the way <c>/_cluster/metrics</c> aggregates them, over real loopback connections.</summary>
public sealed class MessagingMetricsTests
{
    [Fact]
    public async Task InvokeAsync_NCalls_CountsReceivedOnTheSiloAndSentOnTheCaller()
    {
        // Arrange: a silo and a client (a gateway), each exporting its own meters.
        await using var silo = await StartSiloAsync(new TestInboundHandler());
        await using var client = CreateClient();
        var siloMetrics = silo.Services.GetRequiredService<IMetricsReader>();
        var clientMetrics = client.Services.GetRequiredService<IMetricsReader>();

        // Act
        for (var i = 0; i < 5; i++)
        {
            await client.CallAsync(silo.Silo, "echo", key: "k" + i).WithTimeout();
        }

        // Assert: counted where each request was read and written; nobody refused anything.
        var onSilo = siloMetrics.Read();
        var onClient = clientMetrics.Read();
        Assert.Equal(5, Total(onSilo, "cluster.messaging.received"));
        Assert.Equal(0, Total(onSilo, "cluster.messaging.sent"));
        Assert.Equal(5, Total(onClient, "cluster.messaging.sent"));
        Assert.Equal(0, Total(onClient, "cluster.messaging.received"));
        Assert.Equal(0, Total(onSilo, "cluster.messaging.rejected"));
        var received = onSilo.Find("cluster.messaging.received")!;
        Assert.Equal(MetricReadingKind.Counter, received.Kind);
        Assert.Equal("{message}", received.Unit);
        Assert.Equal(RuntimeMetrics.MeterName, received.MeterName);
    }

    [Fact]
    public async Task InvokeAsync_RequestsRefusedUnstarted_CountedByReason()
    {
        // Arrange
        var handler = new TestInboundHandler();
        await using var silo = await StartSiloAsync(handler);
        await using var client = CreateClient();
        var siloMetrics = silo.Services.GetRequiredService<IMetricsReader>();
        await using var peer = await RawPeer.ConnectAuthenticatedAsync(silo);

        // Act: the handler refuses two (another silo owns the grain; shutting down), one fails while running, and two
        // raw requests are refused before they are decoded (no time to live left; an older generation of this silo).
        await Assert.ThrowsAsync<GrainNotOwnedException>(() => client.CallAsync(silo.Silo, "notowner", "7").AsTask()).WaitAsync(TestTimeouts.Default);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => client.CallAsync(silo.Silo, "reject", "stopping").AsTask()).WaitAsync(TestTimeouts.Default);
        await Assert.ThrowsAsync<RemoteGrainException>(() => client.CallAsync(silo.Silo, "throw", "boom").AsTask()).WaitAsync(TestTimeouts.Default);
        await peer.SendAsync(WireFrames.Frame(WireFrames.RequestBody(correlationId: 1, silo.Silo.Generation, ttl: 0)));
        Assert.NotNull(await peer.ReadFrameAsync(TestTimeouts.Default));
        await peer.SendAsync(WireFrames.Frame(WireFrames.RequestBody(correlationId: 2, silo.Silo.Generation - 1)));
        Assert.NotNull(await peer.ReadFrameAsync(TestTimeouts.Default));

        // Assert
        var reading = siloMetrics.Read();
        var rejected = reading.Find("cluster.messaging.rejected")!;
        Assert.Equal(1, rejected.Sum(KeyValuePair.Create("reason", "not_owner")));
        Assert.Equal(2, rejected.Sum(KeyValuePair.Create("reason", "unavailable")));
        Assert.Equal(1, rejected.Sum(KeyValuePair.Create("reason", "expired")));
        Assert.Equal(3, rejected.Series.Count);
        Assert.Equal(5, Total(reading, "cluster.messaging.received"));
        Assert.Equal(3, handler.Invocations);
    }

    [Fact]
    public async Task ConnectionCount_AfterACall_OneConnectionPerPeerInEachDirection()
    {
        // Arrange
        await using var silo = await StartSiloAsync(new TestInboundHandler());
        await using var client = CreateClient();
        var siloMetrics = silo.Services.GetRequiredService<IMetricsReader>();
        var clientMetrics = client.Services.GetRequiredService<IMetricsReader>();

        // Act
        await client.CallAsync(silo.Silo, "echo").WithTimeout();
        await client.CallAsync(silo.Silo, "echo").WithTimeout();
        var onClient = clientMetrics.Read().Find("cluster.connection.count")!;
        var onSilo = siloMetrics.Read().Find("cluster.connection.count")!;

        // Assert: the client's connection is outbound to the silo; the silo sees it inbound from the client's identity.
        var outbound = Assert.Single(onClient.Series);
        Assert.Equal(silo.Silo.ToString(), outbound.Tag("cluster.peer"));
        Assert.Equal("outbound", outbound.Tag("direction"));
        Assert.Equal(1, outbound.Value);
        Assert.Equal(MetricReadingKind.Gauge, onClient.Kind);
        var inbound = Assert.Single(onSilo.Series);
        Assert.Equal(client.Identity.Name, inbound.Tag("cluster.peer"));
        Assert.Equal("inbound", inbound.Tag("direction"));
        Assert.Equal(1, inbound.Value);
    }

    [Fact]
    public async Task ConnectionCount_AfterDisconnect_ShowsNoConnectionOnEitherSide()
    {
        // Arrange
        await using var silo = await StartSiloAsync(new TestInboundHandler());
        await using var client = CreateClient();
        var siloMetrics = silo.Services.GetRequiredService<IMetricsReader>();
        var clientMetrics = client.Services.GetRequiredService<IMetricsReader>();
        await client.CallAsync(silo.Silo, "echo").WithTimeout();

        // Act
        client.Transport.Disconnect(silo.Silo);

        // Assert: the client forgets at once; the silo once it reads the end of the stream.
        Assert.Null(clientMetrics.Read().Find("cluster.connection.count"));
        await Eventually.UntilAsync(() => siloMetrics.Read().Find("cluster.connection.count") is null, "the silo's inbound connection closed");
    }

    [Fact]
    public async Task Record_MessagePathCounters_AllocateNothing()
    {
        // Arrange: the counters as the connections record them, with the exporter listening, each tag set seen once.
        await using var client = CreateClient();
        var reader = client.Services.GetRequiredService<IMetricsReader>();
        var metrics = client.Transport.Metrics!;
        var membership = client.Services.GetRequiredService<MembershipMetrics>();
        Record(metrics, membership);
        Assert.Equal(1, Total(reader.Read(), "cluster.messaging.sent"));

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            Record(metrics, membership);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert: and every measurement arrived.
        Assert.Equal(0, allocated);
        var reading = reader.Read();
        Assert.Equal(1001, Total(reading, "cluster.messaging.received"));
        Assert.Equal(1001, Total(reading, "cluster.messaging.sent"));
        Assert.Equal(3003, Total(reading, "cluster.messaging.rejected"));
        Assert.Equal(1001, reading.Find("cluster.membership.probe.failures")!.Sum(KeyValuePair.Create("kind", "indirect")));
    }

    private static void Record(MessagingMetrics metrics, MembershipMetrics membership)
    {
        metrics.RequestReceived();
        metrics.RequestSent();
        metrics.RequestRefused(ResponseStatus.Rejected);
        metrics.RequestRefused(ResponseStatus.NotOwner);
        metrics.RequestRefused(ResponseStatus.Expired);
        metrics.RequestRefused(ResponseStatus.Ok);
        membership.ProbeFailed(indirect: true);
        membership.ProbeFailed(indirect: false);
    }

    private static double Total(MetricsReading reading, string instrument) => reading.Find(instrument)?.Sum() ?? 0;

    // The exporter is resolved before the first call, as the host's start does: a listener misses what came before it.
    private static async Task<TransportHost> StartSiloAsync(TestInboundHandler handler)
    {
        var host = await TransportHost.StartSiloAsync(handler, services: static s => s.AddClusterMetricsExporter());
        _ = host.Services.GetRequiredService<IMetricsReader>();
        return host;
    }

    private static TransportHost CreateClient()
    {
        var host = TransportHost.CreateClient(services: static s => s.AddClusterMetricsExporter());
        _ = host.Services.GetRequiredService<IMetricsReader>();
        return host;
    }
}
