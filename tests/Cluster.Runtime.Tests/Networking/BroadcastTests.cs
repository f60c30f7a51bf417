using System.Buffers.Binary;
using System.Text;
using Cluster.Runtime.Messaging;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>
/// Confirmed broadcasts over real sockets: a silo sends a notice on every connection peers opened to it, its own
/// receivers run inline, and the task completes only when every peer acknowledged (after its receivers ran), closed, or
/// was closed for not answering in time.
/// </summary>
public sealed class BroadcastTests
{
    private const string Topic = "test.topic.v1";
    private const int NotAcknowledgedEventId = 4630;
    private const int ReceiverFailedEventId = 4631;
    private static readonly TimeSpan s_broadcastTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task BroadcastAsync_TwoConnectedClients_CompletesOnlyAfterBothReceiversRan()
    {
        // Arrange: two clients connected to the silo, each with a receiver; the second one's receiver blocks for now.
        var local = new RecordingReceiver(Topic);
        var first = new RecordingReceiver(Topic);
        var second = new RecordingReceiver(Topic);
        await using var silo = await StartSiloAsync(local);
        await using var a = CreateClient(first);
        await using var b = CreateClient(second);
        await ConnectAsync(silo, a, b);
        second.Block();
        var payload = Encoding.UTF8.GetBytes("drop /blog/a");
        var sut = BroadcastOf(silo);

        // Act
        var broadcast = sut.BroadcastAsync(Topic, payload, CancellationToken.None);

        // Assert: the silo's own receiver ran inline, the first client's ran, and the broadcast still waits for the second.
        Assert.Equal(payload, Assert.Single(local.Received));
        await second.Entered.Task.WithTimeout();
        await Eventually.UntilAsync(() => !first.Received.IsEmpty, "the first client's receiver run");
        await Eventually.UntilAsync(() => silo.Transport.AwaitedBroadcastAcks == 1, "the first client's acknowledgement");
        Assert.False(broadcast.IsCompleted, "The broadcast completed while a receiver was still running.");
        Assert.Empty(second.Received);

        second.Release();
        Assert.Equal(2, await broadcast.WithTimeout());
        Assert.Equal(payload, Assert.Single(first.Received));
        Assert.Equal(payload, Assert.Single(second.Received));
        Assert.Equal(0, silo.Transport.AwaitedBroadcastAcks);
    }

    [Fact]
    public async Task BroadcastAsync_ClientsWithoutAReceiverOfTheTopic_AcknowledgeAtOnce()
    {
        var other = new RecordingReceiver("another.topic");
        await using var silo = await StartSiloAsync();
        await using var withOtherTopic = CreateClient(other);
        await using var withNone = CreateClient();
        await ConnectAsync(silo, withOtherTopic, withNone);

        var acknowledged = await BroadcastOf(silo).BroadcastAsync(Topic, new byte[] { 1, 2, 3 }, CancellationToken.None).WithTimeout();

        Assert.Equal(2, acknowledged);
        Assert.Empty(other.Received);
    }

    [Fact]
    public async Task BroadcastAsync_NoPeerConnected_RunsLocalReceiversAndReturnsZero()
    {
        var local = new RecordingReceiver(Topic);
        await using var silo = await StartSiloAsync(local);

        var acknowledged = await BroadcastOf(silo).BroadcastAsync(Topic, "x"u8.ToArray(), CancellationToken.None).WithTimeout();

        Assert.Equal(0, acknowledged);
        Assert.Equal("x"u8.ToArray(), Assert.Single(local.Received));
    }

    [Fact]
    public async Task BroadcastAsync_PeerNeverAcknowledges_CompletesAtTheTimeoutAndClosesOnlyThatConnection()
    {
        // Arrange: the silo's clock is manual, so the timeout fires exactly when the test says.
        var time = new FakeTimeProvider();
        await using var silo = await StartSiloAsync(time: time);
        await using var good = CreateClient(new RecordingReceiver(Topic));
        await ConnectAsync(silo, good);
        await using var silent = await RawPeer.ConnectAuthenticatedAsync(silo);
        await Eventually.UntilAsync(() => silo.Transport.InboundConnectionCount == 2, "both inbound connections");

        // Act
        var broadcast = BroadcastOf(silo).BroadcastAsync(Topic, "payload"u8.ToArray(), CancellationToken.None);

        // Assert: the silent peer got the frame as documented, the good client answered, and the broadcast waits.
        var frame = await silent.ReadFrameAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(frame);
        Assert.Equal(WireFrames.Broadcast, frame[0]);
        var id = BinaryPrimitives.ReadInt64LittleEndian(frame.AsSpan(1));
        Assert.Equal(WireFrames.BroadcastBody(id, Encoding.UTF8.GetBytes(Topic), "payload"u8), frame);
        await Eventually.UntilAsync(() => silo.Transport.AwaitedBroadcastAcks == 1, "the good client's acknowledgement");
        Assert.False(broadcast.IsCompleted);

        time.Advance(s_broadcastTimeout);

        Assert.Equal(1, await broadcast.WithTimeout());
        Assert.True(await silent.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "The silent peer's connection was not closed.");
        Assert.Contains(silo.Logs.Entries, e => e.Level == LogLevel.Warning && e.EventId == NotAcknowledgedEventId && e.Message.Contains("raw/", StringComparison.Ordinal));
        Assert.Equal("k:still", await good.CallAsync(silo.Silo, "echo", "still").WithTimeout());
        Assert.Equal(1, silo.Transport.InboundConnectionCount);
    }

    [Fact]
    public async Task BroadcastAsync_RawPeerAcknowledgesTheId_CountedAndAnUnknownIdIsIgnored()
    {
        await using var silo = await StartSiloAsync();
        await using var peer = await RawPeer.ConnectAuthenticatedAsync(silo);
        await Eventually.UntilAsync(() => silo.Transport.InboundConnectionCount == 1, "the inbound connection");

        var broadcast = BroadcastOf(silo).BroadcastAsync(Topic, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        var frame = await peer.ReadFrameAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(frame);
        var id = BinaryPrimitives.ReadInt64LittleEndian(frame.AsSpan(1));
        await peer.SendAsync(WireFrames.Frame(WireFrames.BroadcastAckBody(id + 1000)));
        await peer.SendAsync(WireFrames.Frame(WireFrames.BroadcastAckBody(id)));

        Assert.Equal(1, await broadcast.WithTimeout());
        Assert.Equal(1, silo.Transport.InboundConnectionCount);
    }

    [Fact]
    public async Task BroadcastAsync_ReceiverBlocksPastTheTimeout_ConnectionClosedAndTheClientsObserverFires()
    {
        var time = new FakeTimeProvider();
        await using var silo = await StartSiloAsync(time: time);
        var stuck = new RecordingReceiver(Topic);
        var observer = new RecordingLossObserver();
        await using var client = CreateClient(stuck, observer);
        await ConnectAsync(silo, client);
        stuck.Block();

        var broadcast = BroadcastOf(silo).BroadcastAsync(Topic, "x"u8.ToArray(), CancellationToken.None);
        await stuck.Entered.Task.WithTimeout();
        time.Advance(s_broadcastTimeout);

        // The silo gives up on the client and closes its connection; the client, once its receiver returns, sees the loss.
        Assert.Equal(0, await broadcast.WithTimeout());
        Assert.True(silo.Logs.Has(LogLevel.Warning, NotAcknowledgedEventId));
        stuck.Release();
        Assert.Equal(silo.Silo, await observer.First.Task.WithTimeout());
        Assert.Equal("k:again", await client.CallAsync(silo.Silo, "echo", "again").WithTimeout());
    }

    [Fact]
    public async Task BroadcastAsync_ReceiverThrows_LoggedAndStillAcknowledged()
    {
        await using var silo = await StartSiloAsync();
        var failing = new RecordingReceiver(Topic) { Throws = true };
        var next = new RecordingReceiver(Topic);
        await using var client = CreateClient([failing, next]);
        await ConnectAsync(silo, client);

        var acknowledged = await BroadcastOf(silo).BroadcastAsync(Topic, "x"u8.ToArray(), CancellationToken.None).WithTimeout();

        Assert.Equal(1, acknowledged);
        Assert.Single(failing.Received);
        Assert.Single(next.Received);
        Assert.True(client.Logs.Has(LogLevel.Error, ReceiverFailedEventId));
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    public async Task BroadcastAsync_NoTopic_Throws(string? topic)
    {
        await using var silo = await StartSiloAsync();

        await Assert.ThrowsAnyAsync<ArgumentException>(() => BroadcastOf(silo).BroadcastAsync(topic!, new byte[1], CancellationToken.None));
    }

    [Fact]
    public async Task BroadcastAsync_TopicOver256Bytes_ThrowsAndSendsNothing()
    {
        var local = new RecordingReceiver(new string('t', 257));
        await using var silo = await StartSiloAsync(local);
        await using var client = CreateClient();
        await ConnectAsync(silo, client);

        Assert.Throws<ArgumentException>(() => { _ = BroadcastOf(silo).BroadcastAsync(new string('t', 257), new byte[1], CancellationToken.None); });
        Assert.Empty(local.Received);
        Assert.Equal(0, silo.Transport.AwaitedBroadcastAcks);
    }

    [Fact]
    public async Task BroadcastAsync_PayloadOverTheFrameLimit_ThrowsButOneThatFitsExactlyIsDelivered()
    {
        const int MaxFrameSize = 4096;
        var received = new RecordingReceiver(Topic);
        await using var silo = await StartSiloAsync(messaging: o => o.MaxFrameSize = MaxFrameSize);
        await using var client = CreateClient([received], messaging: o => o.MaxFrameSize = MaxFrameSize);
        await ConnectAsync(silo, client);
        var header = 1 + 8 + 1 + Encoding.UTF8.GetByteCount(Topic);
        var fits = new byte[MaxFrameSize - header];
        Random.Shared.NextBytes(fits);

        // The sender reserves room for a 2-byte topic length, so its limit is one byte stricter than the exact frame.
        Assert.Throws<ArgumentException>(() => { _ = BroadcastOf(silo).BroadcastAsync(Topic, new byte[MaxFrameSize], CancellationToken.None); });
        Assert.Throws<ArgumentException>(() => { _ = BroadcastOf(silo).BroadcastAsync(Topic, fits, CancellationToken.None); });
        Assert.Equal(1, await BroadcastOf(silo).BroadcastAsync(Topic, fits.AsMemory(1), CancellationToken.None).WithTimeout());
        Assert.Equal(fits[1..], Assert.Single(received.Received));
    }

    [Fact]
    public async Task BroadcastAsync_CallerCancelsTheWait_TaskCancelledButThePeerStillAcknowledges()
    {
        await using var silo = await StartSiloAsync();
        var stuck = new RecordingReceiver(Topic);
        await using var client = CreateClient(stuck);
        await ConnectAsync(silo, client);
        stuck.Block();
        using var cancel = new CancellationTokenSource();

        var broadcast = BroadcastOf(silo).BroadcastAsync(Topic, "x"u8.ToArray(), cancel.Token);
        await stuck.Entered.Task.WithTimeout();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => broadcast.WithTimeout());
        stuck.Release();
        await Eventually.UntilAsync(() => silo.Transport.AwaitedBroadcastAcks == 0, "the late acknowledgement");
        Assert.Equal(1, silo.Transport.InboundConnectionCount);
    }

    [Fact]
    public async Task BroadcastAsync_LargePayload_ArrivesWholeAcrossPipeSegments()
    {
        var received = new RecordingReceiver(Topic);
        await using var silo = await StartSiloAsync();
        await using var client = CreateClient(received);
        await ConnectAsync(silo, client);
        var payload = new byte[300_000];
        Random.Shared.NextBytes(payload);

        Assert.Equal(1, await BroadcastOf(silo).BroadcastAsync(Topic, payload, CancellationToken.None).WithTimeout());

        Assert.Equal(payload, Assert.Single(received.Received));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(200_000)]
    public async Task ClientReceivesABroadcast_RunsItsReceiverThenAcknowledgesThatId(int payloadLength)
    {
        // Arrange: the client connects to a hand-driven listener (it probes it to open the connection).
        var received = new RecordingReceiver(Topic);
        await using var listener = RawListener.Start();
        await using var client = CreateClient(received);
        var probe = client.Transport.ProbeAsync(listener.Silo, TimeSpan.FromSeconds(30), CancellationToken.None);
        await listener.AcceptAsync();

        // Act (the largest payload spans many of the client's pipe segments)
        var payload = new byte[payloadLength];
        Random.Shared.NextBytes(payload);
        await listener.SendAsync(WireFrames.Frame(WireFrames.BroadcastBody(42, Encoding.UTF8.GetBytes(Topic), payload)));
        var ack = await listener.ReadFrameOfKindAsync(WireFrames.BroadcastAck, TimeSpan.FromSeconds(10));

        // Assert
        Assert.Equal(WireFrames.BroadcastAckBody(42), ack);
        Assert.Equal(payload, Assert.Single(received.Received));
        Assert.False(probe.IsCompleted);
    }

    private static IClusterBroadcast BroadcastOf(TransportHost silo)
        => new ClusterBroadcast(silo.Transport, silo.Services.GetRequiredService<BroadcastReceivers>());

    private static Task<TransportHost> StartSiloAsync(
        RecordingReceiver? local = null, FakeTimeProvider? time = null, Action<MessagingOptions>? messaging = null)
        => TransportHost.StartSiloAsync(
            new TestInboundHandler(),
            messaging: o =>
            {
                o.BroadcastTimeout = s_broadcastTimeout;
                messaging?.Invoke(o);
            },
            services: services =>
            {
                if (local is not null)
                {
                    services.AddSingleton<IBroadcastReceiver>(local);
                }

                if (time is not null)
                {
                    services.AddSingleton<TimeProvider>(time);
                }
            });

    private static TransportHost CreateClient(RecordingReceiver? receiver = null, RecordingLossObserver? observer = null)
        => CreateClient(receiver is null ? [] : [receiver], observer);

    private static TransportHost CreateClient(
        RecordingReceiver[] receivers, RecordingLossObserver? observer = null, Action<MessagingOptions>? messaging = null)
        => TransportHost.CreateClient(
            messaging: messaging,
            services: services =>
            {
                foreach (var receiver in receivers)
                {
                    services.AddSingleton<IBroadcastReceiver>(receiver);
                }

                if (observer is not null)
                {
                    services.AddSingleton<IConnectionLossObserver>(observer);
                }
            });

    private static async Task ConnectAsync(TransportHost silo, params TransportHost[] clients)
    {
        foreach (var client in clients)
        {
            Assert.Equal("k:hello", await client.CallAsync(silo.Silo, "echo", "hello").WithTimeout());
        }

        await Eventually.UntilAsync(() => silo.Transport.InboundConnectionCount == clients.Length, "every client's inbound connection");
    }
}
