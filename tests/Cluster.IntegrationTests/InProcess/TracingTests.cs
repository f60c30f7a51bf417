using System.Diagnostics;
using System.Net;
using Cluster.IntegrationTests.Infrastructure;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Tracing;

namespace Cluster.IntegrationTests.InProcess;

/// <summary>
/// One trace across the cluster: three silos and a gateway without a silo, in this process on real loopback sockets,
/// so one listener sees every side. The gateway's <c>dispatch</c> span and the owner silo's <c>grain</c> span share the
/// request's trace, the silo span is the dispatch span's child across the wire and names the owner, and the route's
/// <c>handler</c> span is the silo span's child.
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class TracingTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("/api/products/1")]
    [InlineData("/api/featured")]
    public async Task Request_ThroughAGatewayWithoutASilo_GatewayAndSiloSpansAreLinked(string path)
    {
        // Arrange
        using var spans = new SpanRecorder(
            "Microsoft.AspNetCore", ClusterTracing.GatewaySourceName, ClusterTracing.RuntimeSourceName, ClusterTracing.GrainsSourceName);
        await using var cluster = await TestCluster.StartAsync(silos: 3, gateways: 1);
        var pattern = SamplePaths.PatternOf(path);
        var owner = cluster.OwnerOfRoute(pattern).Services.GetRequiredService<ISiloStatus>().SiloAddress.ToString();
        var traceId = ActivityTraceId.CreateRandom();
        using var client = new HttpClient { BaseAddress = cluster.Gateways[0].HttpAddress, Timeout = s_timeout };

        // Act
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        using var response = await client.SendAsync(request);

        // Assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var dispatch = await spans.WaitForAsync(s => s.OperationName == "dispatch " + pattern && s.TraceId == traceId, s_timeout);
        var grain = await spans.WaitForAsync(s => s.OperationName == "grain route" && s.TraceId == traceId, s_timeout);
        var handler = await spans.WaitForAsync(s => s.OperationName.StartsWith("handler GET ", StringComparison.Ordinal) && s.TraceId == traceId, s_timeout);

        Assert.Equal(ActivityKind.Client, dispatch.Kind);
        Assert.Equal(owner, dispatch.GetTagItem(ClusterTracing.SiloTagName));
        Assert.Equal(ActivityKind.Server, grain.Kind);
        Assert.Equal(dispatch.SpanId, grain.ParentSpanId);
        Assert.True(grain.HasRemoteParent, "The silo span's parent should have come over the wire.");
        Assert.Equal(owner, grain.GetTagItem(ClusterTracing.SiloTagName));
        Assert.Equal(pattern, grain.GetTagItem(ClusterTracing.GrainKeyTagName));
        Assert.Equal("handler GET " + pattern, handler.OperationName);
        Assert.Equal(grain.SpanId, handler.ParentSpanId);
        Assert.Same(grain, handler.Parent);
    }
}
