using System.Net;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Gateway.Tests.Middleware.TestSupport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Tests.Hosting;

/// <summary>
/// <c>Gateway:DrainDelay</c>: a stopping gateway reports 503 on readiness at once but keeps accepting connections and
/// answering for the delay, then stops listening — what a load balancer needs to move traffic away without errors.
/// </summary>
public sealed class GatewayDrainDelayTests
{
    // Long enough that the checks below, a few loopback requests, run well inside it even on a loaded machine.
    private static readonly TimeSpan s_delay = TimeSpan.FromSeconds(8);

    [Fact]
    public async Task Stop_WithDrainDelay_UnreadyButServingUntilTheDelayEnds()
    {
        // Arrange
        await using var host = await GatewayHost.StartAsync(EdgeAppManifest.Instance, "--Gateway:DrainDelay=00:00:08");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host.Address, "/_cluster/readyz"));

        // Act
        var stopping = host.StopAsync();
        await WaitForStatusAsync(host.Address, "/_cluster/readyz", HttpStatusCode.ServiceUnavailable);

        // Assert: unready, yet a new connection is accepted and a route answers as usual.
        Assert.False(stopping.IsCompleted, "The gateway stopped before its drain delay was over.");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(host.Address, "/echo"));
        Assert.Contains(host.Logs.Entries, static e => e.Message.Contains("Gateway:DrainDelay", StringComparison.Ordinal));

        // And once stopped, the port is closed.
        await stopping.WaitAsync(s_delay + TestTimeouts.Default);
        await Assert.ThrowsAsync<HttpRequestException>(() => StatusAsync(host.Address, "/echo"));
    }

    [Fact]
    public async Task Stop_WithoutDrainDelay_StopsWithoutWaiting()
    {
        // Arrange: the default is 0.
        await using var host = await GatewayHost.StartAsync(EdgeAppManifest.Instance);

        // Act
        await host.StopAsync();

        // Assert
        Assert.DoesNotContain(host.Logs.Entries, static e => e.Message.Contains("Gateway:DrainDelay", StringComparison.Ordinal));
        await Assert.ThrowsAsync<HttpRequestException>(() => StatusAsync(host.Address, "/echo"));
    }

    [Fact]
    public async Task ShutdownTimeout_WithDrainDelay_IsLongerByTheDelay()
    {
        await using var without = await GatewayHost.StartAsync(EdgeAppManifest.Instance);
        await using var with = await GatewayHost.StartAsync(EdgeAppManifest.Instance, "--Gateway:DrainDelay=00:00:08");

        var difference = ShutdownTimeout(with) - ShutdownTimeout(without);

        Assert.Equal(s_delay, difference);
    }

    [Theory]
    [InlineData("-00:00:01")]
    [InlineData("00:05:01")]
    public async Task Start_DrainDelayOutOfRange_FailsNamingTheSetting(string delay)
    {
        var exception = await Assert.ThrowsAnyAsync<Exception>(() => GatewayHost.StartAsync(EdgeAppManifest.Instance, "--Gateway:DrainDelay=" + delay));

        Assert.Contains("DrainDelay", exception.Message, StringComparison.Ordinal);
    }

    private static TimeSpan ShutdownTimeout(GatewayHost host) => host.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout;

    // A fresh connection for every request, so "still listening" is what is tested, not a kept-alive connection.
    private static async Task<HttpStatusCode> StatusAsync(Uri address, string path)
    {
        using var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.Zero }) { BaseAddress = address, Timeout = TestTimeouts.Default };
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.ConnectionClose = true;
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task WaitForStatusAsync(Uri address, string path, HttpStatusCode expected)
    {
        using var deadline = new CancellationTokenSource(TestTimeouts.Default);
        while (await StatusAsync(address, path) != expected)
        {
            await Task.Delay(20, deadline.Token);
        }
    }
}
