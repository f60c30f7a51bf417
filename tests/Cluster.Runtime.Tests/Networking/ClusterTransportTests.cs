using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Tests.TestInfrastructure;

namespace Cluster.Runtime.Tests.Networking;

public sealed class ClusterTransportTests
{
    // Failures that must come "at once" must come well before this; the response timeout of those tests is far longer.
    private static readonly TimeSpan s_fast = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task InvokeAsync_Echo_ReturnsResponseAndTellsHandlerWhoCalled()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var client = TransportHost.CreateClient();

        var response = await client.CallAsync(silo.Silo, "echo", "hello", key: "grain-1", viewVersion: 42).WithTimeout();

        Assert.Equal("grain-1:hello", response);
        var info = Assert.Single(handler.Infos);
        Assert.Equal(42, info.CallerViewVersion);
        Assert.Equal(client.Identity.Name, info.Caller);
        Assert.StartsWith("gateway/", info.Caller, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_SiloToSilo_CallerIsTheCallingSilosAddress()
    {
        var handler = new TestInboundHandler();
        await using var target = await TransportHost.StartSiloAsync(handler);
        await using var caller = await TransportHost.StartSiloAsync(new TestInboundHandler());

        await caller.CallAsync(target.Silo, "echo").WithTimeout();

        Assert.Equal(caller.Silo.ToString(), Assert.Single(handler.Infos).Caller);
    }

    [Fact]
    public async Task InvokeAsync_1000ConcurrentCalls_AllAnsweredCorrectlyOnOneConnection()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var client = TransportHost.CreateClient();

        var calls = Enumerable.Range(0, 1000)
            .Select(i => client.CallAsync(silo.Silo, i % 2 == 0 ? "echo" : "async", "v" + i, key: "g" + (i % 7)).AsTask())
            .ToArray();
        var responses = await Task.WhenAll(calls).WaitAsync(TimeSpan.FromSeconds(60));

        for (var i = 0; i < responses.Length; i++)
        {
            Assert.Equal("g" + (i % 7) + ":v" + i, responses[i]);
        }

        Assert.Equal(1000, handler.Invocations);
        Assert.Equal(1, silo.Listener.AcceptedConnections);
    }

    [Fact]
    public async Task InvokeAsync_GrainNeverAnswers_TimeoutExceptionAtTheTimeoutAndRanOnce()
    {
        var handler = new TestInboundHandler();
        var timeout = TimeSpan.FromMilliseconds(500);
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var client = TransportHost.CreateClient(messaging: o => o.ResponseTimeout = timeout);

        var stopwatch = Stopwatch.StartNew();
        var exception = await Assert.ThrowsAsync<TimeoutException>(() => client.CallAsync(silo.Silo, "hang").WithTimeout());
        stopwatch.Stop();

        Assert.Contains("never re-sent", exception.Message, StringComparison.Ordinal);
        Assert.True(stopwatch.Elapsed >= timeout - TimeSpan.FromMilliseconds(50), $"Failed after {stopwatch.Elapsed}, before the timeout.");

        // At most once: the request is never sent again, however long we wait.
        await Task.Delay(timeout * 2);
        Assert.Equal(1, handler.Invocations);

        // The connection is still good for the next call.
        Assert.Equal("k:again", await client.CallAsync(silo.Silo, "echo", "again").WithTimeout());
        handler.Release();
    }

    [Fact]
    public async Task InvokeAsync_CallerCancels_OperationCanceledAndTheLateResponseIsDropped()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var client = TransportHost.CreateClient();
        using var cts = new CancellationTokenSource();

        var call = client.CallAsync(silo.Silo, "hang", cancellationToken: cts.Token).AsTask();
        await handler.WaitForHangingAsync(1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WithTimeout());
        handler.Release();
        Assert.Equal("k:next", await client.CallAsync(silo.Silo, "echo", "next").WithTimeout());
        Assert.Equal(1, silo.Listener.AcceptedConnections);
    }

    [Theory]
    [InlineData("throw")]
    [InlineData("throw-async")]
    public async Task InvokeAsync_GrainThrows_RemoteGrainExceptionWithTypeAndMessage(string op)
    {
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = TransportHost.CreateClient();

        var exception = await Assert.ThrowsAsync<RemoteGrainException>(() => client.CallAsync(silo.Silo, op, "it broke").WithTimeout());

        Assert.Equal(typeof(InvalidOperationException).FullName, exception.ExceptionType);
        Assert.Contains("it broke", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_NotOwner_GrainNotOwnedExceptionWithTheOwnersViewVersion()
    {
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = TransportHost.CreateClient();

        var exception = await Assert.ThrowsAsync<GrainNotOwnedException>(() => client.CallAsync(silo.Silo, "notowner", "17").WithTimeout());

        Assert.Equal(17, exception.OwnerViewVersion);
    }

    [Fact]
    public async Task InvokeAsync_HandlerRejects_SiloUnavailableExceptionWithTheReason()
    {
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = TransportHost.CreateClient();

        var exception = await Assert.ThrowsAsync<SiloUnavailableException>(() => client.CallAsync(silo.Silo, "reject", "draining").WithTimeout());

        Assert.Equal("draining", exception.Message);
    }

    [Fact]
    public async Task InvokeAsync_ProcessWithoutHandler_RejectedUnstarted()
    {
        await using var silo = await TransportHost.StartSiloAsync(handler: null);
        await using var client = TransportHost.CreateClient();

        await Assert.ThrowsAsync<SiloUnavailableException>(() => client.CallAsync(silo.Silo, "echo").WithTimeout());
    }

    [Fact]
    public async Task InvokeAsync_TargetOfAnotherGeneration_RefusedAndNeverRun()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var client = TransportHost.CreateClient();
        var restarted = new SiloAddress(silo.Silo.Host, silo.Silo.Port, silo.Silo.Generation + 1);

        var exception = await Assert.ThrowsAsync<SiloUnavailableException>(() => client.CallAsync(restarted, "echo").WithTimeout());

        Assert.Contains("WrongSilo", exception.InnerException?.Message ?? exception.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.Invocations);
        Assert.True(silo.Logs.Has(Microsoft.Extensions.Logging.LogLevel.Warning, 4613));
    }

    [Fact]
    public async Task InvokeAsync_UnregisteredMessage_InvalidOperationException()
    {
        await using var client = TransportHost.CreateClient();
        var target = new SiloAddress("127.0.0.1", 1, 1);

        var exception = Assert.Throws<InvalidOperationException>(
            () => client.Transport.InvokeAsync<int, int>(target, new GrainId(new GrainType("echo"), "k"), 1, 1, CancellationToken.None));

        Assert.Contains("AddGrainMessage", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvokeAsync_LargeRequestAndResponse_RoundTrip()
    {
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = TransportHost.CreateClient();
        var text = string.Concat(Enumerable.Repeat("0123456789abcdéf", 20_000));

        var echoed = await client.CallAsync(silo.Silo, "echo", text).WithTimeout();
        var big = await client.CallAsync(silo.Silo, "big", "3000000").WithTimeout();

        Assert.Equal("k:" + text, echoed);
        Assert.Equal(3_000_000, big.Length);
    }

    [Fact]
    public async Task InvokeAsync_ResponseOverMaxFrameSize_ErrorInsteadOfABrokenConnection()
    {
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler(), messaging: o => o.MaxFrameSize = 64 * 1024);
        await using var client = TransportHost.CreateClient(messaging: o => o.MaxFrameSize = 64 * 1024);

        var exception = await Assert.ThrowsAsync<RemoteGrainException>(() => client.CallAsync(silo.Silo, "big", "100000").WithTimeout());

        Assert.Contains("MaxFrameSize", exception.Message, StringComparison.Ordinal);
        Assert.Equal("k:ok", await client.CallAsync(silo.Silo, "echo", "ok").WithTimeout());
        Assert.Equal(1, silo.Listener.AcceptedConnections);
    }

    [Fact]
    public async Task InvokeAsync_RequestOverMaxFrameSize_FailsWithoutSendingAndTheConnectionStaysUp()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler, messaging: o => o.MaxFrameSize = 64 * 1024);
        await using var client = TransportHost.CreateClient(messaging: o => o.MaxFrameSize = 64 * 1024);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => client.CallAsync(silo.Silo, "echo", new string('x', 100_000)).WithTimeout());

        Assert.Contains("MaxFrameSize", exception.Message, StringComparison.Ordinal);
        Assert.Equal("k:ok", await client.CallAsync(silo.Silo, "echo", "ok").WithTimeout());
        Assert.Equal(1, handler.Invocations);
        Assert.Equal(1, silo.Listener.AcceptedConnections);
    }

    [Fact]
    public async Task InvokeAsync_ClosedPort_SiloUnavailableAndConnectionFailedRaised()
    {
        await using var client = TransportHost.CreateClient();
        var target = new SiloAddress("127.0.0.1", GetClosedPort(), 1);
        var failed = new TaskCompletionSource<SiloAddress>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Transport.ConnectionFailed += silo => failed.TrySetResult(silo);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => client.CallAsync(target, "echo").AsTask().WaitAsync(s_fast));

        Assert.Equal(target, await failed.Task.WaitAsync(s_fast));
    }

    [Fact]
    public async Task InvokeAsync_RightAfterAFailedConnect_FailsAtOnceWithoutTryingAgainButProbesTry()
    {
        await using var client = TransportHost.CreateClient(messaging: o => o.ConnectionRetryDelay = TimeSpan.FromMinutes(1));
        var target = new SiloAddress("127.0.0.1", GetClosedPort(), 1);
        var failures = 0;
        client.Transport.ConnectionFailed += _ => Interlocked.Increment(ref failures);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => client.CallAsync(target, "echo").AsTask().WaitAsync(s_fast));

        var second = await Assert.ThrowsAsync<SiloUnavailableException>(() => client.CallAsync(target, "echo").AsTask().WaitAsync(s_fast));
        Assert.False(await client.Transport.ProbeAsync(target, TimeSpan.FromSeconds(5), CancellationToken.None).WaitAsync(s_fast));

        Assert.Contains("ConnectionRetryDelay", second.Message, StringComparison.Ordinal);
        Assert.Equal(2, Volatile.Read(ref failures));
    }

    [Fact]
    public async Task InvokeAsync_RetryDelayOff_EveryCallTriesToConnect()
    {
        await using var client = TransportHost.CreateClient(messaging: o => o.ConnectionRetryDelay = TimeSpan.Zero);
        var target = new SiloAddress("127.0.0.1", GetClosedPort(), 1);
        var failures = 0;
        client.Transport.ConnectionFailed += _ => Interlocked.Increment(ref failures);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => client.CallAsync(target, "echo").AsTask().WaitAsync(s_fast));
        await Assert.ThrowsAsync<SiloUnavailableException>(() => client.CallAsync(target, "echo").AsTask().WaitAsync(s_fast));

        Assert.Equal(2, Volatile.Read(ref failures));
    }

    [Fact]
    public async Task InvokeAsync_ListenerAborted_CallsInFlightFailAtOnceWithConnectionLost()
    {
        var handler = new TestInboundHandler();
        var silo = await TransportHost.StartSiloAsync(handler);
        var address = silo.Silo;
        await using var client = TransportHost.CreateClient(messaging: o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
        var calls = Enumerable.Range(0, 10).Select(i => client.CallAsync(address, "hang", "h" + i).AsTask()).ToArray();
        await handler.WaitForHangingAsync(10);
        var failed = new TaskCompletionSource<SiloAddress>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Transport.ConnectionFailed += s => failed.TrySetResult(s);

        var stopwatch = Stopwatch.StartNew();
        await silo.DisposeAsync();

        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<SiloConnectionLostException>(() => call.WaitAsync(s_fast));
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromMinutes(1));
        Assert.Equal(address, await failed.Task.WaitAsync(s_fast));
        handler.Release();
    }

    [Fact]
    public async Task InvokeAsync_PeerNeverFinishesHandshakeThenCloses_QueuedCallsFailUnavailable()
    {
        using var stalled = new TcpListener(IPAddress.Loopback, 0);
        stalled.Start();
        var target = new SiloAddress("127.0.0.1", ((IPEndPoint)stalled.LocalEndpoint).Port, 1);
        await using var client = TransportHost.CreateClient(messaging: o => o.ResponseTimeout = TimeSpan.FromMinutes(5));

        var calls = Enumerable.Range(0, 5).Select(i => client.CallAsync(target, "echo", "q" + i).AsTask()).ToArray();
        using var accepted = await stalled.AcceptSocketAsync().WaitAsync(s_fast);
        await Task.Delay(100);
        Assert.All(calls, call => Assert.False(call.IsCompleted));
        accepted.Close();

        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<SiloUnavailableException>(() => call.WaitAsync(s_fast));
        }
    }

    [Fact]
    public async Task Disconnect_SentCallsFailWithConnectionLost()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var client = TransportHost.CreateClient(messaging: o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
        var call = client.CallAsync(silo.Silo, "hang").AsTask();
        await handler.WaitForHangingAsync(1);

        client.Transport.Disconnect(silo.Silo);

        await Assert.ThrowsAsync<SiloConnectionLostException>(() => call.WaitAsync(s_fast));
        handler.Release();

        // A later call opens a new connection.
        Assert.Equal("k:after", await client.CallAsync(silo.Silo, "echo", "after").WithTimeout());
        Assert.Equal(2, silo.Listener.AcceptedConnections);
    }

    [Fact]
    public async Task Disconnect_WhileConnecting_QueuedCallsFailUnavailable()
    {
        using var stalled = new TcpListener(IPAddress.Loopback, 0);
        stalled.Start();
        var target = new SiloAddress("127.0.0.1", ((IPEndPoint)stalled.LocalEndpoint).Port, 1);
        await using var client = TransportHost.CreateClient(messaging: o => o.ResponseTimeout = TimeSpan.FromMinutes(5));
        var call = client.CallAsync(target, "echo").AsTask();
        using var accepted = await stalled.AcceptSocketAsync().WaitAsync(s_fast);

        client.Transport.Disconnect(target);

        await Assert.ThrowsAsync<SiloUnavailableException>(() => call.WaitAsync(s_fast));
    }

    [Fact]
    public async Task InvokeAsync_HandshakeNeverAnswered_FailsAfterConnectTimeout()
    {
        using var stalled = new TcpListener(IPAddress.Loopback, 0);
        stalled.Start();
        var target = new SiloAddress("127.0.0.1", ((IPEndPoint)stalled.LocalEndpoint).Port, 1);
        await using var client = TransportHost.CreateClient(messaging: o =>
        {
            o.ConnectTimeout = TimeSpan.FromMilliseconds(300);
            o.ResponseTimeout = TimeSpan.FromMinutes(5);
        });

        var exception = await Assert.ThrowsAsync<SiloUnavailableException>(() => client.CallAsync(target, "echo").AsTask().WaitAsync(s_fast));

        Assert.IsType<TimeoutException>(exception.InnerException);
    }

    [Fact]
    public async Task InvokeAsync_SiloRestartedOnTheSamePort_ClientReconnects()
    {
        var first = await TransportHost.StartSiloAsync(new TestInboundHandler());
        var address = first.Silo;
        await using var client = TransportHost.CreateClient();
        Assert.Equal("k:1", await client.CallAsync(address, "echo", "1").WithTimeout());
        await first.DisposeAsync();

        // The same identity again (a test shortcut: a real restart has a new generation) on the same port.
        await using var second = await TransportHost.StartSiloAsync(new TestInboundHandler(), address: address);

        Assert.Equal("k:2", await CallUntilAnsweredAsync(client, address, "2"));
    }

    [Fact]
    public async Task ProbeAsync_RightSilo_True()
    {
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = TransportHost.CreateClient();

        Assert.True(await client.Transport.ProbeAsync(silo.Silo, TimeSpan.FromSeconds(5), CancellationToken.None).WithTimeout());
    }

    [Fact]
    public async Task ProbeAsync_WrongGeneration_False()
    {
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = TransportHost.CreateClient();
        var older = new SiloAddress(silo.Silo.Host, silo.Silo.Port, silo.Silo.Generation - 1);

        Assert.False(await client.Transport.ProbeAsync(older, TimeSpan.FromSeconds(5), CancellationToken.None).WithTimeout());
        Assert.True(await client.Transport.ProbeAsync(silo.Silo, TimeSpan.FromSeconds(5), CancellationToken.None).WithTimeout());
    }

    [Fact]
    public async Task ProbeAsync_ClosedPort_False()
    {
        await using var client = TransportHost.CreateClient();

        Assert.False(await client.Transport.ProbeAsync(new SiloAddress("127.0.0.1", GetClosedPort(), 1), TimeSpan.FromSeconds(5), CancellationToken.None).WithTimeout());
    }

    [Fact]
    public async Task ProbeAsync_NoAnswerWithinTimeout_False()
    {
        using var stalled = new TcpListener(IPAddress.Loopback, 0);
        stalled.Start();
        await using var client = TransportHost.CreateClient();
        var target = new SiloAddress("127.0.0.1", ((IPEndPoint)stalled.LocalEndpoint).Port, 1);

        Assert.False(await client.Transport.ProbeAsync(target, TimeSpan.FromMilliseconds(200), CancellationToken.None).WaitAsync(s_fast));
    }

    [Fact]
    public async Task NotifyMembershipChanged_SiloToConnectedGateway_ReachesTheGatewaysSink()
    {
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var gateway = TransportHost.CreateClient();
        await gateway.CallAsync(silo.Silo, "echo").WithTimeout();

        silo.Transport.NotifyMembershipChanged(7);

        Assert.Equal(7, await gateway.Sink.Received.Task.WithTimeout());
    }

    [Fact]
    public async Task NotifyMembershipChanged_GatewayToSilo_ReachesTheSilosHandler()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var gateway = TransportHost.CreateClient();
        await gateway.CallAsync(silo.Silo, "echo").WithTimeout();

        gateway.Transport.NotifyMembershipChanged(8);

        Assert.Equal(8, await handler.NoticeReceived.Task.WithTimeout());
        Assert.False(silo.Sink.Received.Task.IsCompleted);
    }

    private static async Task<string> CallUntilAnsweredAsync(TransportHost client, SiloAddress target, string text)
    {
        // The first call after the restart may still find the old connection breaking; a fresh one must then work.
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await client.CallAsync(target, "echo", text).WithTimeout();
            }
            catch (Exception ex) when ((ex is SiloUnavailableException or SiloConnectionLostException) && attempt < 5)
            {
                await Task.Delay(100);
            }
        }
    }

    private static int GetClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
