using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>A peer on a plain socket that can complete the real handshake and then send whatever bytes a test wants.</summary>
internal sealed class RawPeer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private RawPeer(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream);
        Output = PipeWriter.Create(_stream);
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public static async Task<RawPeer> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint).WaitAsync(TimeSpan.FromSeconds(10));
        return new RawPeer(socket);
    }

    /// <summary>Connects and completes the handshake as a well-behaved client would.</summary>
    public static async Task<RawPeer> ConnectAuthenticatedAsync(TransportHost silo, string secret = TransportHost.DefaultSecret, string clusterId = TransportHost.DefaultClusterId)
    {
        var peer = await ConnectAsync(silo.Listener.BoundEndPoint!);
        var handshake = new ClusterHandshake(clusterId, secret, ClusterTransportIdentity.ForClient("raw"));
        await handshake.ConnectAsync(new DuplexPipe(peer.Input, peer.Output), silo.Silo, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        return peer;
    }

    public async Task SendAsync(byte[] bytes) => await Output.WriteAsync(bytes);

    /// <summary>Half-closes: the peer sees the end of the stream.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>Reads one frame body, or null if the connection ended first.</summary>
    public Task<byte[]?> ReadFrameAsync(TimeSpan timeout) => RawFrames.ReadFrameAsync(Input, timeout);

    /// <summary>Whether the other side closed the connection within <paramref name="timeout"/> (reads and drops anything it sent).</summary>
    public Task<bool> WaitForCloseAsync(TimeSpan timeout) => RawFrames.WaitForCloseAsync(Input, timeout);

    public async ValueTask DisposeAsync()
    {
        await Input.CompleteAsync();
        await Output.CompleteAsync();
        await _stream.DisposeAsync();
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
