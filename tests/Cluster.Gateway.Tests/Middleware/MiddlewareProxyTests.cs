using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Microsoft.AspNetCore.Http;

namespace Cluster.Gateway.Tests.Middleware;

/// <summary>A rewrite to another host, proxied to a real Kestrel upstream on 127.0.0.1.</summary>
public sealed class MiddlewareProxyTests(ProxyGatewayFixture fixture) : IClassFixture<ProxyGatewayFixture>
{
    private HttpRequestMessage CreateRequest(HttpMethod method, string target, string destination)
    {
        var request = new HttpRequestMessage(method, target);
        request.Headers.TryAddWithoutValidation(ProxyGatewayFixture.DestinationHeader, destination);
        return request;
    }

    [Fact]
    public async Task Rewrite_AllowedHost_ForwardsRequestAndStreamsResponse()
    {
        var received = new TaskCompletionSource<UpstreamRequest>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await UpstreamServer.StartAsync(async context =>
        {
            var request = context.Request;
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            received.TrySetResult(new UpstreamRequest(
                request.Method,
                request.Path.Value ?? string.Empty,
                request.QueryString.Value ?? string.Empty,
                request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body));

            context.Response.StatusCode = StatusCodes.Status201Created;
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.Headers["x-upstream-said"] = "yes";
            context.Response.Headers.Append("set-cookie", "u=1");
            context.Response.Headers.Append("set-cookie", "v=2");
            await context.Response.WriteAsync("first;");
            await context.Response.Body.FlushAsync();
            // The rest of the body waits until the client has seen the first part: proof that it is streamed.
            await release.Task.WaitAsync(TestTimeouts.Default);
            await context.Response.WriteAsync("second");
        });

        using var request = CreateRequest(HttpMethod.Post, "/echo?a=1", new Uri(upstream.Address, "/api/thing?b=2").ToString());
        request.Headers.TryAddWithoutValidation("x-client", "c");
        request.Content = new StringContent("payload", Encoding.UTF8, "text/plain");
        using var response = await fixture.Host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(TestTimeouts.Default);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(["yes"], response.Headers.GetValues("x-upstream-said"));
        Assert.Equal(["u=1", "v=2"], response.Headers.GetValues("Set-Cookie"));
        Assert.Equal(["1"], response.Headers.GetValues("x-mw"));
        await using var stream = await response.Content.ReadAsStreamAsync();
        Assert.Equal("first;", await ReadAtLeastAsync(stream, "first;".Length));
        release.SetResult();
        Assert.Equal("second", await new StreamReader(stream).ReadToEndAsync().WaitAsync(TestTimeouts.Default));

        var seen = await received.Task.WaitAsync(TestTimeouts.Default);
        Assert.Equal("POST", seen.Method);
        Assert.Equal("/api/thing", seen.Path);
        Assert.Equal("?a=1&b=2", seen.Query);
        Assert.Equal("payload", seen.Body);
        Assert.Equal(upstream.Address.Authority, seen.Headers["host"]);
        Assert.Equal(fixture.Host.Address.Authority, seen.Headers["x-forwarded-host"]);
        Assert.Equal("http", seen.Headers["x-forwarded-proto"]);
        Assert.Equal("127.0.0.1", seen.Headers["x-forwarded-for"]);
        Assert.Equal("c", seen.Headers["x-client"]);
        Assert.Equal("1", seen.Headers["x-from-mw"]);
        Assert.StartsWith("text/plain", seen.Headers["content-type"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewrite_HostNotAllowed_502AndWarningNamingHostAndSetting()
    {
        using var request = CreateRequest(HttpMethod.Get, "/echo", "http://localhost:1/x");

        using var response = await fixture.Host.Client.SendAsync(request).WaitAsync(TestTimeouts.Default);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var entry = Assert.Single(fixture.Host.Logs.Entries, e => e.EventId.Id == GatewayEventIds.MiddlewareProxyRefused);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Contains("localhost:1", entry.Message, StringComparison.Ordinal);
        Assert.Contains("Gateway:Middleware:ProxyAllowedHosts", entry.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewrite_UpstreamSlowerThanTimeout_504()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await UpstreamServer.StartAsync(async context =>
        {
            try
            {
                await release.Task.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The gateway gave up and closed the connection, as it should.
            }
        });
        // A gateway of its own with a short timeout; the upstream does not answer until released, so the outcome does
        // not depend on how loaded the machine is.
        await using var host = await ProxyGatewayFixture.StartHostAsync(TimeSpan.FromMilliseconds(500));
        try
        {
            using var request = CreateRequest(HttpMethod.Get, "/echo", new Uri(upstream.Address, "/slow").ToString());

            using var response = await host.Client.SendAsync(request).WaitAsync(TestTimeouts.Default);

            Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
            Assert.Empty(await response.Content.ReadAsByteArrayAsync());
            Assert.Contains(host.Logs.Entries, e => e.EventId.Id == GatewayEventIds.MiddlewareProxyTimedOut);
        }
        finally
        {
            release.TrySetResult();
        }
    }

    [Fact]
    public async Task Rewrite_UpstreamRefusesConnection_502()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        using var request = CreateRequest(HttpMethod.Get, "/echo", $"http://127.0.0.1:{port}/x");
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        request.Headers.TryAddWithoutValidation("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        using var response = await fixture.Host.Client.SendAsync(request).WaitAsync(TestTimeouts.Default);

        // One line for the failed request, naming the route (the middleware answered it), no silo, and the trace.
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var line = Assert.Single(fixture.Host.Logs.Entries, e => e.Level >= LogLevel.Information && e.Message.Contains(traceId, StringComparison.Ordinal));
        Assert.Equal(GatewayEventIds.MiddlewareProxyFailed, line.EventId.Id);
        Assert.Contains("Route (middleware), silo -", line.Message, StringComparison.Ordinal);
    }

    private static async Task<string> ReadAtLeastAsync(Stream stream, int length)
    {
        var buffer = new byte[length];
        await stream.ReadExactlyAsync(buffer).AsTask().WaitAsync(TestTimeouts.Default);
        return Encoding.UTF8.GetString(buffer);
    }
}
