using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Networking;

/// <summary>
/// Serves the cluster protocol on a silo's port with a dedicated <see cref="KestrelServer"/> — not the web host's, whose
/// addresses come from <c>--urls</c> — running a <see cref="ConnectionHandler"/>: each accepted connection is
/// authenticated by the handshake, then requests on it run through <see cref="IInboundCallHandler"/>.
/// </summary>
public sealed partial class ClusterListener : IAsyncDisposable
{
    private readonly ClusterTransport _transport;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<ClusterConnection, byte> _connections = new();
    private readonly SemaphoreSlim _lifecycle = new(1, 1);
    private KestrelServer? _server;
    private volatile bool _stopping;
    private int _accepted;

    internal ClusterListener(ClusterTransport transport, IServiceProvider services, ILoggerFactory loggerFactory)
    {
        _transport = transport;
        _services = services;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ClusterListener>();
    }

    /// <summary>The address the listener is bound to (with the actual port when started on port 0); null until started.</summary>
    public IPEndPoint? BoundEndPoint { get; private set; }

    /// <summary>How many connections completed the handshake since the start (tests).</summary>
    internal int AcceptedConnections => Volatile.Read(ref _accepted);

    /// <summary>Connections currently open (tests).</summary>
    internal int OpenConnections => _connections.Count;

    /// <summary>
    /// Binds <paramref name="endPoint"/> (port 0 picks a free port: see <see cref="BoundEndPoint"/>) and starts accepting.
    /// Handshakes are refused until <see cref="ClusterTransportIdentity.SiloAddress"/> is set.
    /// </summary>
    public async Task StartAsync(IPEndPoint endPoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        await _lifecycle.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_server is not null)
            {
                throw new InvalidOperationException("The cluster listener is already started.");
            }

            var handler = new ClusterConnectionHandler(this);
            ListenOptions? listen = null;
            var kestrel = new KestrelServerOptions { ApplicationServices = _services, AddServerHeader = false };
            kestrel.Listen(endPoint, options =>
            {
                listen = options;
                options.Run(handler.OnConnectedAsync);
            });

            // The reader must be able to buffer a whole frame of the maximum size; Kestrel's default (1 MiB) would stall
            // a larger one forever.
            var socketOptions = new SocketTransportOptions
            {
                NoDelay = true,
                MaxReadBufferSize = ClusterTransport.ReadBufferSize(_transport.MaxFrameSize),
            };
            var server = new KestrelServer(
                Options.Create(kestrel),
                new SocketTransportFactory(Options.Create(socketOptions), _loggerFactory),
                _loggerFactory);
            try
            {
                await server.StartAsync(NoHttpApplication.Instance, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                server.Dispose();
                throw;
            }

            _stopping = false;
            _server = server;
            BoundEndPoint = listen!.IPEndPoint;
            Log.Listening(_logger, BoundEndPoint!.ToString());
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>
    /// Stops accepting, then closes each connection gracefully: the peer is told to stop sending (requests that still
    /// arrive are refused unstarted, so the caller may retry elsewhere), requests in flight finish and their responses are
    /// written, then the connection closes. When <paramref name="cancellationToken"/> fires, whatever is left is aborted
    /// (its callers see <see cref="SiloConnectionLostException"/>).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _lifecycle.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var server = _server;
            if (server is null)
            {
                return;
            }

            _stopping = true;
            foreach (var (connection, _) in _connections)
            {
                connection.BeginDrain();
            }

            // Kestrel unbinds, then waits for every connection handler to return (ours return when their connection has
            // drained and closed); if the token fires first it aborts them.
            using (cancellationToken.Register(static state => ((ClusterListener)state!).AbortAll(), this))
            {
                await server.StopAsync(cancellationToken).ConfigureAwait(false);
            }

            AbortAll();
            server.Dispose();
            _server = null;
            Log.Stopped(_logger, BoundEndPoint?.ToString() ?? "?");
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    /// <summary>Stops at once, aborting every connection. Safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        // The semaphore is never disposed: it has no wait handle to free, and a second dispose must still work.
        await StopAsync(new CancellationToken(canceled: true)).ConfigureAwait(false);
    }

    /// <summary>Runs one accepted connection: the handshake, then frames until it closes.</summary>
    internal async Task AcceptAsync(ConnectionContext context)
    {
        HandshakeOutcome outcome;
        using (var timeout = new CancellationTokenSource(_transport.ConnectTimeout, _transport.TimeProvider))
        {
            try
            {
                outcome = await _transport.Handshake.AcceptAsync(context.Transport, _stopping, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                outcome = new HandshakeOutcome(HandshakeRefusal.TimedOut, null, $"no complete handshake within Cluster:Messaging:ConnectTimeout ({_transport.ConnectTimeout})");
            }
            catch (Exception ex) when (ex is IOException or ConnectionAbortedException or ConnectionResetException or OperationCanceledException or InvalidOperationException)
            {
                outcome = new HandshakeOutcome(HandshakeRefusal.Malformed, null, "the connection failed during the handshake: " + ex.Message);
            }
        }

        if (outcome.Refusal != HandshakeRefusal.None)
        {
            Log.Refused(_logger, context.RemoteEndPoint?.ToString() ?? "?", outcome.PeerIdentity ?? "?", outcome.Refusal, outcome.Detail ?? string.Empty);
            await CloseAsync(context.Transport).ConfigureAwait(false);
            return;
        }

        var connection = _transport.AddInbound(context, outcome.PeerIdentity!);
        _connections.TryAdd(connection, 0);
        Interlocked.Increment(ref _accepted);
        Log.Accepted(_logger, outcome.PeerIdentity!, context.RemoteEndPoint?.ToString() ?? "?");
        if (_stopping)
        {
            connection.BeginDrain();
        }

        try
        {
            await connection.RunAsync().ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(connection, out _);
        }
    }

    private static async Task CloseAsync(IDuplexPipe pipe)
    {
        // Flush what was written (the refusal), then let Kestrel close the socket when the handler returns.
        try
        {
            await pipe.Output.CompleteAsync().ConfigureAwait(false);
            await pipe.Input.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Already gone.
        }
    }

    private void AbortAll()
    {
        foreach (var (connection, _) in _connections)
        {
            connection.Abort(null, failure: false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4610, LogLevel.Information, "The cluster listener is bound to {EndPoint}.")]
        public static partial void Listening(ILogger logger, string endPoint);

        [LoggerMessage(4611, LogLevel.Information, "The cluster listener on {EndPoint} has stopped.")]
        public static partial void Stopped(ILogger logger, string endPoint);

        [LoggerMessage(4612, LogLevel.Debug, "Accepted a cluster connection from {Peer} at {RemoteEndPoint}.")]
        public static partial void Accepted(ILogger logger, string peer, string remoteEndPoint);

        [LoggerMessage(4613, LogLevel.Warning, "Refused a cluster connection from {RemoteEndPoint} (stated identity {Peer}): {Refusal}, {Detail}.")]
        public static partial void Refused(ILogger logger, string remoteEndPoint, string peer, HandshakeRefusal refusal, string detail);
    }
}
