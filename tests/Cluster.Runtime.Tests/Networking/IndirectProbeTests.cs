using System.Net;
using System.Net.Sockets;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Tests.TestInfrastructure;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>Indirect probes over real sockets: a client asks one silo to probe another and report back.</summary>
public sealed class IndirectProbeTests
{
    [Fact]
    public async Task ProbeIndirectlyAsync_LiveIntermediaryLiveTarget_True()
    {
        await using var intermediary = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var target = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = TransportHost.CreateClient();

        Assert.True(await client.Transport.ProbeIndirectlyAsync(intermediary.Silo, target.Silo, TimeSpan.FromSeconds(10), CancellationToken.None).WithTimeout());
    }

    [Fact]
    public async Task ProbeIndirectlyAsync_TargetPortClosed_False()
    {
        await using var intermediary = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = TransportHost.CreateClient();
        var target = new SiloAddress("127.0.0.1", GetClosedPort(), 1);

        Assert.False(await client.Transport.ProbeIndirectlyAsync(intermediary.Silo, target, TimeSpan.FromSeconds(10), CancellationToken.None).WithTimeout());

        // The intermediary answered "no" on a connection that stays usable.
        Assert.True(await client.Transport.ProbeAsync(intermediary.Silo, TimeSpan.FromSeconds(5), CancellationToken.None).WithTimeout());
    }

    [Fact]
    public async Task ProbeIndirectlyAsync_TargetWrongGeneration_False()
    {
        await using var intermediary = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var target = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = TransportHost.CreateClient();
        var older = new SiloAddress(target.Silo.Host, target.Silo.Port, target.Silo.Generation - 1);

        Assert.False(await client.Transport.ProbeIndirectlyAsync(intermediary.Silo, older, TimeSpan.FromSeconds(10), CancellationToken.None).WithTimeout());
    }

    [Fact]
    public async Task ProbeIndirectlyAsync_TargetSilent_FalseWithinTimeout()
    {
        using var stalled = new TcpListener(IPAddress.Loopback, 0);
        stalled.Start();
        await using var intermediary = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = TransportHost.CreateClient();
        var target = new SiloAddress("127.0.0.1", ((IPEndPoint)stalled.LocalEndpoint).Port, 1);

        Assert.False(await client.Transport.ProbeIndirectlyAsync(intermediary.Silo, target, TimeSpan.FromMilliseconds(400), CancellationToken.None).WithTimeout());
    }

    [Fact]
    public async Task ProbeIndirectlyAsync_IntermediaryPortClosed_False()
    {
        await using var target = await TransportHost.StartSiloAsync(new TestInboundHandler());
        await using var client = TransportHost.CreateClient();
        var intermediary = new SiloAddress("127.0.0.1", GetClosedPort(), 1);

        Assert.False(await client.Transport.ProbeIndirectlyAsync(intermediary, target.Silo, TimeSpan.FromSeconds(10), CancellationToken.None).WithTimeout());
    }

    private static int GetClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }
}
