using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Microsoft.AspNetCore.Http;

namespace Cluster.Gateway.Tests.Diagnostics;

/// <summary>
/// <c>Cluster:Telemetry:OtlpEndpoint</c> turns on OTLP/HTTP export of the gateway's traces and metrics: a real Kestrel
/// on 127.0.0.1 stands in for the collector, and what the gateway still holds is flushed when it stops.
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class TracingOtlpExportTests
{
    [Fact]
    public async Task OtlpEndpointSet_RequestThenStop_TracesWithItsTraceIdAndMetricsArePosted()
    {
        // Arrange: the collector records every POST by path.
        var received = new ConcurrentQueue<(string Path, string ContentType, byte[] Body)>();
        await using var collector = await UpstreamServer.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path.Value ?? string.Empty, context.Request.ContentType ?? string.Empty, body.ToArray()));
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "application/x-protobuf";
        });
        var endpoint = collector.Address.ToString().TrimEnd('/');
        var app = new MiddlewareTestApp();
        await using var host = await GatewayHost.StartAsync(
            app.CreateManifest(static (_, _) => new ValueTask<Cluster.Routing.MiddlewareResult>(Cluster.Routing.MiddlewareResult.Next())),
            $"--Cluster:Telemetry:OtlpEndpoint={endpoint}");
        var traceId = ActivityTraceId.CreateRandom();
        Span<byte> traceIdBytes = stackalloc byte[16];
        traceId.CopyTo(traceIdBytes);
        var expected = traceIdBytes.ToArray();

        // Act: one request, then a graceful stop.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/echo"))
        {
            request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
            using var response = await host.Client.SendAsync(request).WaitAsync(TestTimeouts.Default);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await host.StopAsync();

        // Assert
        var traces = received.Where(static r => r.Path == "/v1/traces").ToList();
        var metrics = received.Where(static r => r.Path == "/v1/metrics").ToList();
        Assert.NotEmpty(traces);
        Assert.NotEmpty(metrics);
        Assert.All(received, static r => Assert.Equal("application/x-protobuf", r.ContentType));
        Assert.Contains(traces, r => r.Body.AsSpan().IndexOf(expected) >= 0);
        Assert.Contains(metrics, static r => r.Body.AsSpan().IndexOf("http.server.request.duration"u8) >= 0);
    }
}
