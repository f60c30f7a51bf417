using System.Buffers;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Serialization;
using Cluster.Runtime.Tests.TestInfrastructure;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Tests.Networking;

public sealed class ClusterHandshakeTests
{
    private const int RefusedEventId = 4613;

    [Fact]
    public async Task Connect_WrongSecret_RefusedByBothSidesAndNoCallRuns()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var intruder = TransportHost.CreateClient(secret: "not the secret");

        var exception = await Assert.ThrowsAsync<SiloUnavailableException>(() => intruder.CallAsync(silo.Silo, "echo").WithTimeout());
        var probed = await intruder.Transport.ProbeAsync(silo.Silo, TimeSpan.FromSeconds(5), CancellationToken.None).WithTimeout();

        Assert.Contains("Cluster:Secret", exception.InnerException?.Message, StringComparison.Ordinal);
        Assert.False(probed);
        Assert.Equal(0, handler.Invocations);
        await WaitForLogAsync(silo.Logs, RefusedEventId);
        Assert.DoesNotContain(silo.Logs.Entries.Concat(intruder.Logs.Entries), e => e.Message.Contains("horse", StringComparison.Ordinal) || e.Message.Contains("not the secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Accept_WrongProof_RefusedWithAuthenticationFailedAndClosed()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var peer = await RawPeer.ConnectAsync(silo.Listener.BoundEndPoint!);

        // A peer that does not know the secret answers the challenge with anything; it must be refused.
        await peer.SendAsync(Hello(TransportHost.DefaultClusterId, silo.Silo.ToString()));
        var challenge = await peer.ReadFrameAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(challenge);
        Assert.Equal(2, challenge[0]);
        await peer.SendAsync(WireFrames.Frame(Proof(new byte[32])));
        var answer = await peer.ReadFrameAsync(TimeSpan.FromSeconds(10));

        Assert.Equal([5, 6], answer); // Refused, AuthenticationFailed
        Assert.True(await peer.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        Assert.True(silo.Logs.Has(LogLevel.Warning, RefusedEventId));
        Assert.Equal(0, silo.Listener.AcceptedConnections);
    }

    [Fact]
    public async Task Connect_WrongClusterId_Refused()
    {
        var handler = new TestInboundHandler();
        await using var silo = await TransportHost.StartSiloAsync(handler);
        await using var stranger = TransportHost.CreateClient(clusterId: "another-cluster");

        var exception = await Assert.ThrowsAsync<SiloUnavailableException>(() => stranger.CallAsync(silo.Silo, "echo").WithTimeout());

        Assert.Contains("ClusterId", exception.InnerException?.Message, StringComparison.Ordinal);
        Assert.Equal(0, handler.Invocations);
        await WaitForLogAsync(silo.Logs, RefusedEventId);
        Assert.Contains(silo.Logs.Entries, e => e.EventId == RefusedEventId && e.Message.Contains("another-cluster", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Accept_ListenerWithoutSiloAddress_RefusedNotASilo()
    {
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        var address = silo.Silo;
        silo.Identity.SiloAddress = null;
        await using var client = TransportHost.CreateClient();

        var exception = await Assert.ThrowsAsync<SiloUnavailableException>(() => client.CallAsync(address, "echo").WithTimeout());

        Assert.Contains("NotASilo", exception.InnerException?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accept_NoHello_ClosedAfterTheConnectTimeout()
    {
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler(), messaging: o => o.ConnectTimeout = TimeSpan.FromMilliseconds(300));
        await using var peer = await RawPeer.ConnectAsync(silo.Listener.BoundEndPoint!);

        Assert.True(await peer.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        await WaitForLogAsync(silo.Logs, RefusedEventId);
        Assert.Contains(silo.Logs.Entries, e => e.EventId == RefusedEventId && e.Message.Contains("TimedOut", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("http")]
    [InlineData("huge-length")]
    public async Task Accept_NotTheProtocol_ClosedAndTheListenerStillServes(string kind)
    {
        await using var silo = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var peer = await RawPeer.ConnectAsync(silo.Listener.BoundEndPoint!);
        var bytes = kind switch
        {
            "garbage" => WireFrames.Frame(RandomBytes(200, seed: 7)),
            "http" => "GET / HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray(),
            _ => WireFrames.Prefix(int.MaxValue),
        };

        await peer.SendAsync(bytes);

        Assert.True(await peer.WaitForCloseAsync(TimeSpan.FromSeconds(10)));
        await using var client = TransportHost.CreateClient();
        Assert.Equal("k:ok", await client.CallAsync(silo.Silo, "echo", "ok").WithTimeout());
    }

    private static byte[] Hello(string clusterId, string target)
    {
        var body = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(body);
        writer.WriteByte(1);
        writer.WriteInt32(0x52544C43);
        writer.WriteVarUInt32(WireProtocol.ProtocolVersion);
        writer.WriteString(clusterId);
        writer.WriteString("raw/intruder");
        writer.WriteString(target);
        writer.WriteBytes(RandomBytes(32, seed: 1));
        return WireFrames.Frame(body.WrittenSpan);
    }

    private static byte[] Proof(byte[] proof)
    {
        var body = new ArrayBufferWriter<byte>();
        var writer = new WireWriter(body);
        writer.WriteByte(3);
        writer.WriteBytes(proof);
        return body.WrittenSpan.ToArray();
    }

    private static byte[] RandomBytes(int count, int seed)
    {
        var bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static async Task WaitForLogAsync(ListLogger logs, int eventId)
    {
        // The listener logs after it has answered; give it a moment.
        for (var i = 0; i < 200 && !logs.Has(LogLevel.Warning, eventId); i++)
        {
            await Task.Delay(25);
        }

        Assert.True(logs.Has(LogLevel.Warning, eventId), $"No warning {eventId} was logged.");
    }

    [Fact]
    public void SiloAddress_UsedInHandshake_IsTheFullAddress()
    {
        var identity = ClusterTransportIdentity.ForSilo(new SiloAddress("10.0.0.1", 11111, 42));

        Assert.Equal("10.0.0.1:11111@42", identity.HandshakeIdentity);
        Assert.StartsWith("gateway/", ClusterTransportIdentity.ForClient("gateway").HandshakeIdentity, StringComparison.Ordinal);
    }
}
