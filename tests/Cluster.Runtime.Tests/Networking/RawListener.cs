using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;

namespace Cluster.Runtime.Tests.Networking;

/// <summary>
/// A silo's side of one connection on a plain socket: completes the real listener handshake, then sends whatever
/// frames a test wants (e.g. broadcasts, well-formed or not) and reads what the connector sends back.
/// </summary>
internal sealed class RawListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private Socket? _socket;
    private NetworkStream? _stream;
    private bool _disposed;

    private RawListener(TcpListener listener, SiloAddress silo)
    {
        _listener = listener;
        Silo = silo;
    }

    public SiloAddress Silo { get; }

    public PipeReader Input { get; private set; } = null!;

    public PipeWriter Output { get; private set; } = null!;

    public static RawListener Start()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        return new RawListener(listener, new SiloAddress("127.0.0.1", port, SiloAddress.NextGeneration(TimeProvider.System)));
    }

    /// <summary>Accepts one connection and completes the handshake as this silo.</summary>
    public async Task AcceptAsync(string clusterId = TransportHost.DefaultClusterId, string secret = TransportHost.DefaultSecret)
    {
        _socket = await _listener.AcceptSocketAsync().WaitAsync(TimeSpan.FromSeconds(10));
        _socket.NoDelay = true;
        _stream = new NetworkStream(_socket, ownsSocket: true);
        Input = PipeReader.Create(_stream);
        Output = PipeWriter.Create(_stream);
        var handshake = new ClusterHandshake(clusterId, secret, ClusterTransportIdentity.ForSilo(Silo));
        var outcome = await handshake.AcceptAsync(new Duplex(Input, Output), shuttingDown: false, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        if (outcome.Refusal != HandshakeRefusal.None)
        {
            throw new InvalidOperationException($"The handshake failed: {outcome.Refusal} {outcome.Detail}");
        }
    }

    public async Task SendAsync(byte[] bytes) => await Output.WriteAsync(bytes);

    /// <summary>Reads one frame body, or null if the connection ended first.</summary>
    public Task<byte[]?> ReadFrameAsync(TimeSpan timeout) => RawFrames.ReadFrameAsync(Input, timeout);

    /// <summary>Reads frames until one of <paramref name="kind"/> arrives; null if the connection ended first.</summary>
    public async Task<byte[]?> ReadFrameOfKindAsync(byte kind, TimeSpan timeout)
    {
        while (true)
        {
            var frame = await ReadFrameAsync(timeout);
            if (frame is null || frame[0] == kind)
            {
                return frame;
            }
        }
    }

    /// <summary>Whether the connector closed the connection within <paramref name="timeout"/> (drops what it sent).</summary>
    public Task<bool> WaitForCloseAsync(TimeSpan timeout) => RawFrames.WaitForCloseAsync(Input, timeout);

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_stream is not null)
        {
            await Input.CompleteAsync();
            await Output.CompleteAsync();
            await _stream.DisposeAsync();
        }

        _listener.Stop();
        _listener.Dispose();
    }

    private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
