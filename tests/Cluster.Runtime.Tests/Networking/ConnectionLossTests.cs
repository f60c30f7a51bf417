using System.Net;
using System.Net.Sockets;
using System.Text;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>
/// <see cref="IConnectionLossObserver"/>: told once for every connection this process opened that completed its
/// handshake and then closed, whatever closed it, after the calls pending on it failed; never for one that never opened.
/// </summary>
public sealed class ConnectionLossTests
{
    private const int MalformedFrameEventId = 4604;
    private const int ObserverFailedEventId = 4622;

    [Fact]
    public async Task ListenerStopsGracefully_ObserverToldOnceWithTheSilo()
    {
        var observer = new RecordingLossObserver();
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = CreateClient(observer);
        await client.CallAsync(silo.Silo, "echo").WithTimeout();

        await silo.Listener.StopAsync(CancellationToken.None).WithTimeout();

        Assert.Equal(silo.Silo, await observer.First.Task.WithTimeout());
        await Eventually.UntilAsync(() => client.Transport.ConnectionCount == 0, "the client's connection gone");
        Assert.Equal([silo.Silo], observer.Lost);
    }

    [Fact]
    public async Task PeerClosesTheSocket_PendingCallsHaveFailedWhenTheObserverRuns()
    {
        // Arrange: a probe waits on a hand-driven listener that never answers it. (A probe's task completes on the thread
        // that fails it, so what it shows inside the observer is what was decided before the observer ran.)
        var observer = new RecordingLossObserver();
        await using var listener = RawListener.Start();
        await using var client = CreateClient(observer);
        var pending = client.Transport.ProbeAsync(listener.Silo, TimeSpan.FromMinutes(5), CancellationToken.None);
        await listener.AcceptAsync();
        Assert.NotNull(await listener.ReadFrameAsync(TimeSpan.FromSeconds(10)));
        var completedWhenTold = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        observer.OnLost = _ => completedWhenTold.TrySetResult(pending.IsCompleted);

        // Act: the silo dies.
        await listener.DisposeAsync();

        // Assert
        Assert.True(await completedWhenTold.Task.WithTimeout(), "The observer ran before the pending call had failed.");
        Assert.False(await pending.WithTimeout());
        Assert.Equal([listener.Silo], observer.Lost);
    }

    [Fact]
    public async Task ListenerAborts_CallInFlightFailsAndObserverTold()
    {
        var handler = new TestInboundHandler();
        var observer = new RecordingLossObserver();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var client = CreateClient(observer, messaging: o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
        var pending = client.CallAsync(silo.Silo, "hang").AsTask();
        await handler.WaitForHangingAsync(1);

        await silo.Listener.DisposeAsync();

        Assert.Equal(silo.Silo, await observer.First.Task.WithTimeout());
        await Assert.ThrowsAsync<SiloConnectionLostException>(() => pending.WithTimeout());
        handler.Release();
    }

    [Fact]
    public async Task Disconnect_ObserverTold()
    {
        var observer = new RecordingLossObserver();
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = CreateClient(observer);
        await client.CallAsync(silo.Silo, "echo").WithTimeout();

        client.Transport.Disconnect(silo.Silo);

        Assert.Equal(silo.Silo, await observer.First.Task.WithTimeout());
    }

    [Fact]
    public async Task TransportDisposed_ObserverToldForEverySilo()
    {
        var observer = new RecordingLossObserver();
        await using var first = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var second = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = CreateClient(observer);
        await client.CallAsync(first.Silo, "echo").WithTimeout();
        await client.CallAsync(second.Silo, "echo").WithTimeout();

        await client.Transport.DisposeAsync();

        Assert.Equal(new[] { first.Silo, second.Silo }.OrderBy(s => s.Port), observer.Lost.OrderBy(s => s.Port));
    }

    [Fact]
    public async Task ConnectionNeverOpened_ObserverNotTold()
    {
        // Arrange: a refused handshake (wrong secret) and a closed port, then a real loss to order against.
        var observer = new RecordingLossObserver();
        await using var wrongSecret = await TransportHost.StartSiloAsync(new TestInboundHandler(), secret: "another secret");
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = CreateClient(observer);
        var closedPort = new SiloAddress("127.0.0.1", FreePort(), 1);

        // Act
        await Assert.ThrowsAsync<SiloUnavailableException>(() => client.CallAsync(wrongSecret.Silo, "echo").WithTimeout());
        await Assert.ThrowsAsync<SiloUnavailableException>(() => client.CallAsync(closedPort, "echo").WithTimeout());
        await client.CallAsync(silo.Silo, "echo").WithTimeout();
        client.Transport.Disconnect(silo.Silo);

        // Assert: the only loss reported is the connection that had opened.
        Assert.Equal(silo.Silo, await observer.First.Task.WithTimeout());
        Assert.Equal([silo.Silo], observer.Lost);
    }

    [Fact]
    public async Task ObserverThrows_LoggedAndTheOthersAreStillTold()
    {
        var failing = new RecordingLossObserver { OnLost = _ => throw new InvalidOperationException("observer failure") };
        var next = new RecordingLossObserver();
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = TransportHost.CreateClient(services: services =>
        {
            services.AddSingleton<IConnectionLossObserver>(failing);
            services.AddSingleton<IConnectionLossObserver>(next);
        });
        await client.CallAsync(silo.Silo, "echo").WithTimeout();

        client.Transport.Disconnect(silo.Silo);

        Assert.Equal(silo.Silo, await next.First.Task.WithTimeout());
        Assert.True(client.Logs.Has(LogLevel.Error, ObserverFailedEventId));
    }

    public static TheoryData<string> MalformedBroadcasts =>
    [
        "empty-topic",
        "bad-utf8-topic",
        "topic-over-256-bytes",
        "topic-length-past-the-end",
        "truncated-id",
        "ack-from-the-listener",
    ];

    [Theory]
    [MemberData(nameof(MalformedBroadcasts))]
    public async Task MalformedBroadcast_ClientClosesOnlyThatConnectionAndTellsTheObserver(string kind)
    {
        // Arrange: the client has a good connection to a real silo and one to a hand-driven listener.
        var observer = new RecordingLossObserver();
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var listener = RawListener.Start();
        await using var client = CreateClient(observer);
        await client.CallAsync(silo.Silo, "echo").WithTimeout();
        var probe = client.Transport.ProbeAsync(listener.Silo, TimeSpan.FromSeconds(30), CancellationToken.None);
        await listener.AcceptAsync();

        // Act
        await listener.SendAsync(WireFrames.Frame(BadBroadcast(kind)));

        // Assert
        Assert.True(await listener.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "The client did not close the connection.");
        Assert.Equal(listener.Silo, await observer.First.Task.WithTimeout());
        Assert.False(await probe.WithTimeout());
        Assert.True(client.Logs.Has(LogLevel.Warning, MalformedFrameEventId));
        Assert.Equal("k:after", await client.CallAsync(silo.Silo, "echo", "after").WithTimeout());
        Assert.Equal([listener.Silo], observer.Lost);
    }

    private static byte[] BadBroadcast(string kind) => kind switch
    {
        "empty-topic" => WireFrames.BroadcastBody(1, [], [1]),
        "bad-utf8-topic" => WireFrames.BroadcastBody(1, [0xFF, 0xFE, 0x41], [1]),
        "topic-over-256-bytes" => WireFrames.BroadcastBody(1, Encoding.UTF8.GetBytes(new string('t', 257)), [1]),
        "topic-length-past-the-end" => [WireFrames.Broadcast, 1, 0, 0, 0, 0, 0, 0, 0, 50, (byte)'t'],
        "truncated-id" => [WireFrames.Broadcast, 1, 0, 0],
        "ack-from-the-listener" => WireFrames.BroadcastAckBody(1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    private static TransportHost CreateClient(RecordingLossObserver observer, Action<MessagingOptions>? messaging = null)
        => TransportHost.CreateClient(messaging: messaging, services: services => services.AddSingleton<IConnectionLossObserver>(observer));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
