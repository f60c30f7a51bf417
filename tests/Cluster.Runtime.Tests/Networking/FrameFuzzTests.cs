using System.Buffers.Binary;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>
/// A peer that passed the handshake and then sends bad frames: the listener closes that connection and nothing else —
/// another client's connection keeps working, and a fresh connection is accepted.
/// </summary>
public sealed class FrameFuzzTests
{
    private const int MaxFrameSize = 64 * 1024;
    private const int MalformedFrameEventId = 4604;

    public static TheoryData<string> Cases =>
    [
        "random-bytes",
        "random-body",
        "oversized-length",
        "negative-length",
        "zero-length",
        "truncated-header",
        "bad-utf8-grain-type",
        "empty-grain-type",
        "unknown-kind",
        "unknown-message-type",
        "payload-the-codec-rejects",
        "trailing-bytes-after-ping",
        "pong-for-a-request-id",
        "ends-inside-a-frame",
        "indirect-ping-bad-target",
        "indirect-ping-zero-timeout",
        "broadcast-from-a-connector",
        "broadcast-ack-truncated",
        "broadcast-ack-trailing-bytes",
    ];

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadFrame_ClosesOnlyThatConnection(string kind)
    {
        // Arrange: a good client already connected, and an authenticated raw peer.
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler, messaging: o => o.MaxFrameSize = MaxFrameSize);
        await using var client = TransportHost.CreateClient(messaging: o => o.MaxFrameSize = MaxFrameSize);
        Assert.Equal("k:before", await client.CallAsync(silo.Silo, "echo", "before").WithTimeout());
        await using var peer = await RawPeer.ConnectAuthenticatedAsync(silo);

        // Act
        await peer.SendAsync(BadFrame(kind, silo.Silo.Generation));
        if (kind == "ends-inside-a-frame")
        {
            peer.ShutdownSend();
        }

        // Assert
        Assert.True(await peer.WaitForCloseAsync(TimeSpan.FromSeconds(10)), "The listener did not close the connection.");
        if (kind != "ends-inside-a-frame")
        {
            Assert.True(silo.Logs.Has(LogLevel.Warning, MalformedFrameEventId), "The malformed frame was not logged as a warning.");
        }

        Assert.Equal("k:after", await client.CallAsync(silo.Silo, "echo", "after").WithTimeout());
        await using var fresh = TransportHost.CreateClient(messaging: o => o.MaxFrameSize = MaxFrameSize);
        Assert.Equal("k:fresh", await fresh.CallAsync(silo.Silo, "echo", "fresh").WithTimeout());
        Assert.Equal(3, silo.Listener.AcceptedConnections);
        Assert.Equal(3, handler.Invocations);
    }

    [Fact]
    public async Task Request_ExpiredOnArrival_AnsweredExpiredAndNeverRun()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var peer = await RawPeer.ConnectAuthenticatedAsync(silo);

        await peer.SendAsync(WireFrames.Frame(WireFrames.RequestBody(correlationId: 5, silo.Silo.Generation, ttl: 0)));
        var expired = await peer.ReadFrameAsync(TimeSpan.FromSeconds(10));
        await peer.SendAsync(WireFrames.Frame(WireFrames.RequestBody(correlationId: 6, silo.Silo.Generation, ttl: 10_000)));
        var ok = await peer.ReadFrameAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(Response(5, status: 4), expired);
        Assert.NotNull(ok);
        Assert.Equal(Response(6, status: 0), ok[..10]);
        Assert.Equal(1, handler.Invocations);
    }

    [Fact]
    public async Task Request_ForAnotherGeneration_RejectedAndNeverRun()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var peer = await RawPeer.ConnectAuthenticatedAsync(silo);

        await peer.SendAsync(WireFrames.Frame(WireFrames.RequestBody(correlationId: 9, silo.Silo.Generation + 1)));
        var answer = await peer.ReadFrameAsync(TimeSpan.FromSeconds(10));

        Assert.NotNull(answer);
        Assert.Equal(Response(9, status: 1), answer[..10]);
        Assert.Equal(0, handler.Invocations);
    }

    [Fact]
    public async Task Response_ForAnUnknownCorrelationId_IsIgnored()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var peer = await RawPeer.ConnectAuthenticatedAsync(silo);

        // A late answer (its call timed out) is dropped, not treated as an attack.
        await peer.SendAsync(WireFrames.Frame(Response(12345, status: 4)));
        await peer.SendAsync(WireFrames.Frame(WireFrames.RequestBody(correlationId: 1, silo.Silo.Generation)));

        var answer = await peer.ReadFrameAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(answer);
        Assert.Equal(Response(1, status: 0), answer[..10]);
    }

    private static byte[] BadFrame(string kind, int generation)
    {
        var random = new Random(kind.Length);
        switch (kind)
        {
            case "random-bytes":
                var bytes = new byte[512];
                random.NextBytes(bytes);

                // Make the first length hostile for sure (random bytes can form a valid small length by chance).
                BinaryPrimitives.WriteInt32LittleEndian(bytes, MaxFrameSize + 1 + random.Next(1000));
                return bytes;
            case "random-body":
                var body = new byte[300];
                random.NextBytes(body);
                body[0] = 0xEE;
                return WireFrames.Frame(body);
            case "oversized-length":
                return WireFrames.Prefix(MaxFrameSize + 1);
            case "negative-length":
                return WireFrames.Prefix(-5);
            case "zero-length":
                return WireFrames.Prefix(0);
            case "truncated-header":
                // A request that ends after its correlation id.
                return WireFrames.Frame([1, 1, 0, 0, 0, 0, 0, 0, 0]);
            case "bad-utf8-grain-type":
                return WireFrames.Frame(WireFrames.RequestBody(1, generation, grainTypeUtf8: [0xFF, 0xFE, 0x41]));
            case "empty-grain-type":
                return WireFrames.Frame(WireFrames.RequestBody(1, generation, grainTypeUtf8: []));
            case "unknown-kind":
                return WireFrames.Frame([0x7F, 1, 2, 3]);
            case "unknown-message-type":
                return WireFrames.Frame(WireFrames.RequestBody(1, generation, messageName: "nope.v9"));
            case "payload-the-codec-rejects":
                return WireFrames.Frame(WireFrames.RequestBody(1, generation, payload: [4, (byte)'e', (byte)'c', (byte)'h', (byte)'o', 1, (byte)'x', 99]));
            case "trailing-bytes-after-ping":
                return WireFrames.Frame([3, 1, 0, 0, 0, 0, 0, 0, 0, 42]);
            case "pong-for-a-request-id":
                // The peer never pinged; the listener has no call waiting, so this is dropped — then a bad frame follows.
                return [.. WireFrames.Frame([4, 1, 0, 0, 0, 0, 0, 0, 0, 0]), .. WireFrames.Frame([0x00])];
            case "ends-inside-a-frame":
                return [.. WireFrames.Prefix(100), 1, 2, 3];
            case "indirect-ping-bad-target":
                // Kind 9, correlation id 1, target "nope" (not a silo address), timeout 100 ms.
                return WireFrames.Frame([9, 1, 0, 0, 0, 0, 0, 0, 0, 4, (byte)'n', (byte)'o', (byte)'p', (byte)'e', 100]);
            case "indirect-ping-zero-timeout":
                return WireFrames.Frame([9, 1, 0, 0, 0, 0, 0, 0, 0, .. IndirectTarget("127.0.0.1:1@1"), 0]);
            case "broadcast-from-a-connector":
                // Broadcasts flow from the listener to the connector only.
                return WireFrames.Frame(WireFrames.BroadcastBody(1, "t"u8, [1, 2, 3]));
            case "broadcast-ack-truncated":
                return WireFrames.Frame([WireFrames.BroadcastAck, 1, 0, 0]);
            case "broadcast-ack-trailing-bytes":
                // An acknowledgement of an id never sent is dropped, but not one with bytes after the id.
                return WireFrames.Frame([.. WireFrames.BroadcastAckBody(7), 0]);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    private static byte[] IndirectTarget(string address) => [(byte)address.Length, .. System.Text.Encoding.UTF8.GetBytes(address)];

    private static byte[] Response(long correlationId, byte status)
    {
        var bytes = new byte[10];
        bytes[0] = WireFrames.Response;
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(1), correlationId);
        bytes[9] = status;
        return bytes;
    }
}
