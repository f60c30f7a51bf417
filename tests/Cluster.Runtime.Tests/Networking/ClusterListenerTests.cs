using System.Net;
using Cluster.Runtime.Tests.TestInfrastructure;

namespace Cluster.Runtime.Tests.Networking;

public sealed class ClusterListenerTests
{
    [Fact]
    public async Task StartAsync_PortZero_BindsAFreePortAndServesIt()
    {
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());

        var bound = silo.Listener.BoundEndPoint;

        Assert.NotNull(bound);
        Assert.NotEqual(0, bound.Port);
        Assert.Equal(IPAddress.Loopback, bound.Address);
    }

    [Fact]
    public async Task StopAsync_CallInFlight_ItsResponseIsDeliveredThenTheConnectionCloses()
    {
        // Arrange: a call is running when the stop begins.
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var client = TransportHost.CreateClient(messaging: o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
        var inFlight = client.CallAsync(silo.Silo, "hang", "last").AsTask();
        await handler.WaitForHangingAsync(1);

        // Act
        var stopping = silo.Listener.StopAsync(CancellationToken.None);

        // Assert: the stop waits for the call, whose response arrives; then everything is closed.
        await Task.Delay(200);
        Assert.False(stopping.IsCompleted);
        handler.Release();
        Assert.Equal("k:last", await inFlight.WithTimeout());
        await stopping.WithTimeout();
        Assert.Equal(0, silo.Listener.OpenConnections);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => client.CallAsync(silo.Silo, "echo").WithTimeout());
    }

    [Fact]
    public async Task StopAsync_NewCallsDuringTheDrain_RefusedUnstartedAndNeverRun()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var client = TransportHost.CreateClient(messaging: o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
        var inFlight = client.CallAsync(silo.Silo, "hang").AsTask();
        await handler.WaitForHangingAsync(1);

        var stopping = silo.Listener.StopAsync(CancellationToken.None);
        var late = Enumerable.Range(0, 20).Select(i => client.CallAsync(silo.Silo, "echo", "late" + i).AsTask()).ToArray();

        foreach (var call in late)
        {
            await Assert.ThrowsAsync<SiloUnavailableException>(() => call.WithTimeout());
        }

        Assert.Equal(1, handler.Invocations);
        handler.Release();
        await inFlight.WithTimeout();
        await stopping.WithTimeout();
    }

    [Fact]
    public async Task StopAsync_TokenFires_AbortsCallsStillRunning()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var client = TransportHost.CreateClient(messaging: o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
        var inFlight = client.CallAsync(silo.Silo, "hang").AsTask();
        await handler.WaitForHangingAsync(1);
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await silo.Listener.StopAsync(deadline.Token).WithTimeout();

        await Assert.ThrowsAsync<SiloConnectionLostException>(() => inFlight.WithTimeout());
        handler.Release();
    }

    [Fact]
    public async Task StopAsync_ThenStartAgain_Serves()
    {
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        var port = silo.Listener.BoundEndPoint!.Port;
        await silo.Listener.StopAsync(CancellationToken.None).WithTimeout();

        await silo.Listener.StartAsync(new IPEndPoint(IPAddress.Loopback, port), CancellationToken.None).WithTimeout();
        await using var client = TransportHost.CreateClient();

        Assert.Equal("k:again", await client.CallAsync(silo.Silo, "echo", "again").WithTimeout());
    }
}
