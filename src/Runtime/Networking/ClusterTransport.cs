using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Messaging;
using Cluster.Runtime.Tracing;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Networking;

/// <summary>
/// The cluster protocol over TCP (README.md beside this file): one persistent, multiplexed, authenticated connection per
/// target silo, opened on first use (concurrent first calls share it) and opened again after a failure; requests
/// answered by correlation id; one periodic timer per transport fails calls past their response timeout (never re-sent).
/// Connections that peers open to this process's <see cref="ClusterListener"/> are tracked here too, so membership
/// notices reach them.
/// </summary>
internal sealed partial class ClusterTransport : IClusterTransport, IAsyncDisposable
{
    private readonly ConcurrentDictionary<SiloAddress, ClusterConnection> _outbound = new();
    private readonly ConcurrentDictionary<ClusterConnection, byte> _connections = new();
    private readonly ConcurrentDictionary<SiloAddress, long> _connectFailures = new();
    private readonly IServiceProvider? _services;
    private readonly SocketConnectionContextFactory _socketFactory;
    private readonly ITimer _timeoutTimer;
    private readonly ITimer _statusTimer;
    private readonly long _statusUpdateAfter;
    private readonly ILogger _logger;
    private readonly long _responseTimeout;
    private readonly long _connectionRetryDelay;
    private IInboundCallHandler? _handler;
    private IMembershipNotificationSink? _notificationSink;
    private volatile bool _dependenciesResolved;
    private BroadcastReceivers? _broadcastReceivers;
    private IConnectionLossObserver[] _lossObservers = [];
    private volatile bool _outboundDependenciesResolved;
    private long _nextBroadcastId;
    private int _disposed;

    /// <summary>Creates the transport.</summary>
    /// <param name="identity">Who this process is in handshakes.</param>
    /// <param name="messagingOptions">Timeouts and limits.</param>
    /// <param name="clusterOptions">The cluster id and secret.</param>
    /// <param name="registry">The grain messages this process knows.</param>
    /// <param name="timeProvider">Clock of timeouts.</param>
    /// <param name="loggerFactory">Logging.</param>
    /// <param name="services">
    /// Where to find the optional <see cref="IInboundCallHandler"/> and <see cref="IMembershipNotificationSink"/>, resolved
    /// on first use rather than here: the silo's handler depends (through membership) on this transport.
    /// </param>
    public ClusterTransport(
        ClusterTransportIdentity identity,
        IOptions<MessagingOptions> messagingOptions,
        IOptions<ClusterOptions> clusterOptions,
        GrainMessageRegistry registry,
        TimeProvider timeProvider,
        ILoggerFactory loggerFactory,
        IServiceProvider? services = null)
    {
        Identity = identity;
        Options = messagingOptions.Value;
        Registry = registry;
        TimeProvider = timeProvider;
        LoggerFactory = loggerFactory;
        _services = services;
        _logger = loggerFactory.CreateLogger<ClusterTransport>();
        ConnectionLogger = loggerFactory.CreateLogger<ClusterConnection>();
        var cluster = clusterOptions.Value;
        Handshake = new ClusterHandshake(cluster.ClusterId, cluster.Secret, identity);
        MaxFrameSize = Options.MaxFrameSize;
        _responseTimeout = ToTimestamp(Options.ResponseTimeout);
        _connectionRetryDelay = ToTimestamp(Options.ConnectionRetryDelay);
        _socketFactory = new SocketConnectionContextFactory(
            new SocketConnectionFactoryOptions { MaxReadBufferSize = ReadBufferSize(Options.MaxFrameSize) },
            loggerFactory.CreateLogger<SocketConnectionContextFactory>());

        // One timer for every call of every connection. Its period bounds how late a timeout fires; a tenth of the
        // response timeout (at most 100 ms) is well within what callers can notice and costs nothing when idle.
        var period = TimeSpan.FromTicks(Math.Clamp(Options.ResponseTimeout.Ticks / 10, TimeSpan.TicksPerMillisecond * 5, TimeSpan.TicksPerMillisecond * 100));
        _timeoutTimer = timeProvider.CreateTimer(static state => ((ClusterTransport)state!).CheckTimeouts(), this, period, period);

        // The messaging instruments, on this host's meters (AddClusterTransport registers a factory; none without a provider).
        if (services?.GetService(typeof(IMeterFactory)) is IMeterFactory meterFactory)
        {
            Metrics = new MessagingMetrics(meterFactory, this);
        }

        // The status scan of requests this silo runs for others (orleans-runtime.md §3.5): every second, as Orleans does,
        // or every StatusUpdateAfter when that is shorter. It only walks requests that did not answer at once.
        _statusUpdateAfter = ToTimestamp(Options.StatusUpdateAfter);
        var scan = Options.StatusUpdateAfter < TimeSpan.FromSeconds(1) ? Options.StatusUpdateAfter : TimeSpan.FromSeconds(1);
        _statusTimer = timeProvider.CreateTimer(static state => ((ClusterTransport)state!).ReportLongRequests(), this, scan, scan);
    }

    /// <summary>
    /// Raised when a connection this process opened fails — it could not be opened, was refused, or broke without the
    /// listener announcing it — so the membership agent can probe that silo at once. Not raised for
    /// <see cref="Disconnect"/>, a graceful close by the listener, or disposal. Runs on the failing connection's thread: keep it short.
    /// </summary>
    public event Action<SiloAddress>? ConnectionFailed;

    /// <summary>Who this process is in handshakes.</summary>
    public ClusterTransportIdentity Identity { get; }

    /// <summary>The messaging counters connections record on (null when the host has no meter factory).</summary>
    public MessagingMetrics? Metrics { get; }

    /// <summary>Timeouts and limits.</summary>
    public MessagingOptions Options { get; }

    /// <summary>The grain messages this process knows.</summary>
    public GrainMessageRegistry Registry { get; }

    /// <summary>The clock of timeouts and time to live.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Logging.</summary>
    public ILoggerFactory LoggerFactory { get; }

    /// <summary>The logger of connections.</summary>
    public ILogger ConnectionLogger { get; }

    /// <summary>The handshake of both sides.</summary>
    public ClusterHandshake Handshake { get; }

    /// <summary>The largest frame either side may send.</summary>
    public int MaxFrameSize { get; }

    /// <summary>How long opening a connection may take, handshake included.</summary>
    public TimeSpan ConnectTimeout => Options.ConnectTimeout;

    /// <summary>The inbound request handler, if this process has one.</summary>
    public IInboundCallHandler? InboundHandler
    {
        get
        {
            if (!_dependenciesResolved)
            {
                ResolveDependencies();
            }

            return _handler;
        }
    }

    /// <summary>Every connection, open or not, both directions: a lock-free walk (the connection gauge, at scrape time).</summary>
    internal IEnumerable<ClusterConnection> Connections => _connections.Select(static pair => pair.Key);

    /// <summary>Connections open or opening, both directions (tests).</summary>
    internal int ConnectionCount => _connections.Count;

    /// <summary>Connections peers opened to this process's listener, open or completing their handshake (tests).</summary>
    internal int InboundConnectionCount => _connections.Count(static pair => !pair.Key.IsOutbound);

    /// <summary>Acknowledgements of broadcasts still awaited, over every connection (tests).</summary>
    internal int AwaitedBroadcastAcks => _connections.Sum(static pair => pair.Key.AwaitedBroadcastAcks);

    /// <inheritdoc />
    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(
        SiloAddress target, GrainId grainId, TRequest request, int viewVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (grainId.IsDefault)
        {
            throw new ArgumentException("The grain id is unset.", nameof(grainId));
        }

        var descriptor = Registry.Get<TRequest, TResponse>();
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<TResponse>(cancellationToken);
        }

        var connection = GetConnection(target, probe: false);
        if (connection is null)
        {
            return ValueTask.FromException<TResponse>(new SiloUnavailableException(
                $"The last connection attempt to {target} failed less than Cluster:Messaging:ConnectionRetryDelay ago; the request was not sent."));
        }

        // The caller's trace context is taken now, on its flow (the writer loop runs on another). It travels whether or
        // not this process records spans, so a trace continues through a process that does not; no current activity,
        // no context (the shorter frame).
        var parent = RuntimeTracing.CaptureParent();
        RuntimeTracing.RecordTarget(parent, target);

        var call = new OutboundCall<TRequest, TResponse>(
            descriptor, target.Generation, grainId, request, viewVersion, TimeProvider.GetTimestamp() + _responseTimeout, RequestContext.CallChainId, parent);
        connection.Send(call, cancellationToken);
        return call.AsValueTask();
    }

    /// <inheritdoc />
    public Task<bool> ProbeAsync(SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(cancellationToken);
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            return Task.FromResult(false);
        }

        var ping = new PingCall(target, TimeProvider.GetTimestamp() + ToTimestamp(timeout));
        GetConnection(target, probe: true)!.Send(ping, cancellationToken);
        return ping.Task;
    }

    /// <inheritdoc />
    public Task<bool> ProbeIndirectlyAsync(SiloAddress intermediary, SiloAddress target, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(intermediary);
        ArgumentNullException.ThrowIfNull(target);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<bool>(cancellationToken);
        }

        if (Volatile.Read(ref _disposed) != 0)
        {
            return Task.FromResult(false);
        }

        // The intermediary gets half the time for its own probe, leaving the rest for the two hops, so it can still say
        // "no" before we give up on it.
        var ping = new PingCall(target, TimeProvider.GetTimestamp() + ToTimestamp(timeout), timeout / 2);
        GetConnection(intermediary, probe: true)!.Send(ping, cancellationToken);
        return ping.Task;
    }

    /// <inheritdoc />
    public void NotifyMembershipChanged(int version)
    {
        var notice = new MembershipNoticeFrame(version);
        foreach (var (connection, _) in _connections)
        {
            connection.Post(notice);
        }
    }

    /// <summary>
    /// Sends a broadcast on every connection peers opened to this process's listener (gateways and silos that connected
    /// to it: exactly the processes that may hold what they received from this silo) and completes when each has
    /// acknowledged it, closed, or been closed for not answering within <see cref="MessagingOptions.BroadcastTimeout"/>.
    /// This process's own receivers are not run here (see <c>ClusterBroadcast</c>).
    /// </summary>
    /// <param name="topic">The topic, 1..<see cref="WireProtocol.MaxTopicBytes"/> UTF-8 bytes.</param>
    /// <param name="payload">The notice; copied, so the caller may reuse its buffer once this returns.</param>
    /// <returns>How many peers acknowledged.</returns>
    /// <exception cref="ArgumentException">The topic is empty or too long, or the frame would exceed
    /// <see cref="MessagingOptions.MaxFrameSize"/>.</exception>
    internal Task<int> BroadcastAsync(string topic, ReadOnlyMemory<byte> payload)
    {
        var topicUtf8 = EncodeTopic(topic, payload.Length, MaxFrameSize);
        var broadcast = new PendingBroadcast(Interlocked.Increment(ref _nextBroadcastId), topic, Options.BroadcastTimeout, ConnectionLogger);
        BroadcastFrame? frame = null;
        if (Volatile.Read(ref _disposed) == 0)
        {
            foreach (var (connection, _) in _connections)
            {
                if (!connection.IsOutbound)
                {
                    frame ??= new BroadcastFrame(broadcast.Id, topicUtf8, payload.ToArray());
                    connection.SendBroadcast(frame, broadcast);
                }
            }
        }

        broadcast.Seal(TimeProvider);
        return broadcast.Task;
    }

    /// <summary>
    /// Checks a broadcast's topic and size and returns the topic as UTF-8 (what the frame carries).
    /// </summary>
    /// <exception cref="ArgumentException">The topic is empty or over <see cref="WireProtocol.MaxTopicBytes"/>, or the
    /// frame would be over <paramref name="maxFrameSize"/>.</exception>
    internal static byte[] EncodeTopic(string topic, int payloadLength, int maxFrameSize)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var topicUtf8 = System.Text.Encoding.UTF8.GetBytes(topic);
        if (topicUtf8.Length > WireProtocol.MaxTopicBytes)
        {
            throw new ArgumentException($"A broadcast topic is at most {WireProtocol.MaxTopicBytes} UTF-8 bytes; '{topic}' has {topicUtf8.Length}.", nameof(topic));
        }

        var frameLength = (long)WireProtocol.BroadcastHeaderBytes + topicUtf8.Length + payloadLength;
        if (frameLength > maxFrameSize)
        {
            throw new ArgumentException(
                $"A broadcast of {payloadLength} bytes under topic '{topic}' makes a frame of {frameLength} bytes, over Cluster:Messaging:MaxFrameSize ({maxFrameSize}).",
                "payload");
        }

        return topicUtf8;
    }

    /// <inheritdoc />
    public void Disconnect(SiloAddress target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _connectFailures.TryRemove(target, out _);
        if (_outbound.TryRemove(target, out var outbound))
        {
            outbound.Abort(null, failure: false);
        }

        // A dead silo's own connections to this one carry nothing anyone waits for; close them too.
        foreach (var (connection, _) in _connections)
        {
            if (!connection.IsOutbound && target.Equals(connection.PeerSilo))
            {
                connection.Abort(null, failure: false);
            }
        }
    }

    /// <summary>Closes every connection (their calls fail at once) and stops the timer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _timeoutTimer.DisposeAsync().ConfigureAwait(false);
        await _statusTimer.DisposeAsync().ConfigureAwait(false);
        var connections = _connections.Select(static pair => pair.Key).ToArray();
        foreach (var connection in connections)
        {
            connection.Abort(null, failure: false);
        }

        try
        {
            await Task.WhenAll(connections.Select(static c => c.Completion)).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A connection still tearing down holds nothing anyone waits for.
        }

        _socketFactory.Dispose();
    }

    /// <summary>The pipe buffer a connection's reader needs: a whole frame of the maximum size, plus room for the next.</summary>
    internal static long ReadBufferSize(int maxFrameSize) => Math.Max(1024L * 1024, maxFrameSize + (64L * 1024));

    /// <summary>Creates the connection for a peer that completed the handshake with this process's listener.</summary>
    internal ClusterConnection AddInbound(ConnectionContext context, string peerIdentity)
    {
        var connection = new ClusterConnection(this, context, peerIdentity);
        _connections.TryAdd(connection, 0);
        if (Volatile.Read(ref _disposed) != 0)
        {
            connection.Abort(null, failure: false);
        }

        return connection;
    }

    /// <summary>Opens a TCP connection to a silo and wraps it in pipes (the same socket transport the listener uses).</summary>
    internal async Task<ConnectionContext> ConnectSocketAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (IPAddress.TryParse(target.Host, out var address))
            {
                await socket.ConnectAsync(new IPEndPoint(address, target.Port), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(target.Host, target.Port, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return _socketFactory.Create(socket);
    }

    /// <summary>An outbound connection completed its handshake: calls to its silo may open connections again.</summary>
    internal void OnConnected(ClusterConnection connection)
    {
        if (!_connectFailures.IsEmpty)
        {
            _connectFailures.TryRemove(connection.Target!, out _);
        }
    }

    /// <summary>A connection closed: forget it, and report a failure of an outbound one.</summary>
    /// <param name="connection">The connection.</param>
    /// <param name="failure">Whether it failed (rather than being closed on purpose).</param>
    /// <param name="neverOpened">Whether it failed before its handshake completed (starts the retry delay).</param>
    internal void OnConnectionClosed(ClusterConnection connection, bool failure, bool neverOpened)
    {
        _connections.TryRemove(connection, out _);
        if (!connection.IsOutbound)
        {
            return;
        }

        ForgetOutbound(connection);
        if (failure && neverOpened && _connectionRetryDelay > 0)
        {
            _connectFailures[connection.Target!] = TimeProvider.GetTimestamp();
        }

        if (failure && Volatile.Read(ref _disposed) == 0)
        {
            try
            {
                ConnectionFailed?.Invoke(connection.Target!);
            }
            catch (Exception ex)
            {
                Log.ConnectionFailedHandlerFailed(_logger, connection.PeerName, ex);
            }
        }
    }

    /// <summary>
    /// An outbound connection that had completed its handshake closed, for whatever reason, after its calls were failed:
    /// tells every <see cref="IConnectionLossObserver"/>. Runs on the closing thread, holding no lock.
    /// </summary>
    internal void OnConnectionLost(SiloAddress silo)
    {
        foreach (var observer in _lossObservers)
        {
            try
            {
                observer.OnConnectionLost(silo);
            }
            catch (Exception ex)
            {
                Log.ConnectionLossObserverFailed(_logger, observer.GetType().FullName ?? observer.GetType().Name, silo.ToString(), ex);
            }
        }
    }

    /// <summary>
    /// Resolves the broadcast receivers and connection-loss observers, once. Called when an outbound connection has
    /// completed its handshake, before it can read a broadcast or close after opening — so never first during the service
    /// provider's disposal, which closes connections and so calls the observers. Throws (failing that connection) if one
    /// of them cannot be built.
    /// </summary>
    internal void EnsureOutboundDependencies()
    {
        if (!_outboundDependenciesResolved)
        {
            ResolveOutboundDependencies();
        }
    }

    /// <summary>
    /// A silo this process is connected to broadcast a notice: runs this process's receivers of the topic (none → nothing
    /// to do; the connection acknowledges either way).
    /// </summary>
    internal void DeliverBroadcast(string topic, System.Buffers.ReadOnlySequence<byte> payload)
    {
        EnsureOutboundDependencies();
        _broadcastReceivers?.Deliver(topic, payload);
    }

    /// <summary>New calls to this connection's silo must open a new connection.</summary>
    internal void ForgetOutbound(ClusterConnection connection)
        => _outbound.TryRemove(new KeyValuePair<SiloAddress, ClusterConnection>(connection.Target!, connection));

    /// <summary>
    /// A peer says the membership table reached <paramref name="version"/>. A silo's inbound handler forwards it to its
    /// membership; a process without one (a gateway) hands it to its <see cref="IMembershipNotificationSink"/>.
    /// </summary>
    internal void OnMembershipNotice(int version)
    {
        try
        {
            var handler = InboundHandler;
            if (handler is not null)
            {
                handler.OnMembershipChanged(version);
            }
            else
            {
                _notificationSink?.OnPeerNotified(version);
            }
        }
        catch (Exception ex)
        {
            Log.NoticeHandlerFailed(_logger, version, ex);
        }
    }

    /// <summary>Milliseconds from <paramref name="now"/> to <paramref name="deadline"/> (timestamps), capped to a positive int.</summary>
    internal long RemainingMilliseconds(long deadline, long now)
    {
        var remaining = deadline - now;
        if (remaining <= 0)
        {
            return 0;
        }

        var milliseconds = (long)(remaining * 1000.0 / TimeProvider.TimestampFrequency);
        return Math.Clamp(milliseconds, 1, int.MaxValue);
    }

    /// <summary>A number of milliseconds as a timestamp difference.</summary>
    internal long MillisecondsToTimestamp(uint milliseconds) => (long)(milliseconds * (TimeProvider.TimestampFrequency / 1000.0));

    private long ToTimestamp(TimeSpan span)
    {
        // Clamp first: TimeSpan.MaxValue must not overflow into the past.
        var seconds = Math.Clamp(span.TotalSeconds, 0, TimeSpan.FromDays(365).TotalSeconds);
        return (long)(seconds * TimeProvider.TimestampFrequency);
    }

    // Null when a grain call must not try to connect yet (ConnectionRetryDelay); a probe always gets a connection.
    private ClusterConnection? GetConnection(SiloAddress target, bool probe)
    {
        if (_outbound.TryGetValue(target, out var connection) && connection.IsUsable)
        {
            return connection;
        }

        return GetConnectionSlow(target, probe);
    }

    private ClusterConnection? GetConnectionSlow(SiloAddress target, bool probe)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!probe
            && _connectFailures.TryGetValue(target, out var failedAt)
            && TimeProvider.GetTimestamp() - failedAt < _connectionRetryDelay)
        {
            return null;
        }

        while (true)
        {
            ClusterConnection fresh;
            if (_outbound.TryGetValue(target, out var existing))
            {
                if (existing.IsUsable)
                {
                    return existing;
                }

                fresh = new ClusterConnection(this, target);
                if (!_outbound.TryUpdate(target, fresh, existing))
                {
                    continue;
                }
            }
            else
            {
                fresh = new ClusterConnection(this, target);
                if (!_outbound.TryAdd(target, fresh))
                {
                    continue;
                }
            }

            _connections.TryAdd(fresh, 0);
            fresh.StartConnecting();
            if (Volatile.Read(ref _disposed) != 0)
            {
                fresh.Abort(null, failure: false);
            }

            return fresh;
        }
    }

    private void CheckTimeouts()
    {
        var now = TimeProvider.GetTimestamp();
        foreach (var (connection, _) in _connections)
        {
            connection.ExpireCalls(now);
        }
    }

    private void ReportLongRequests()
    {
        if (Identity.SiloAddress is not { } silo)
        {
            return;
        }

        var now = TimeProvider.GetTimestamp();
        var siloName = silo.ToString();
        foreach (var (connection, _) in _connections)
        {
            if (!connection.IsOutbound)
            {
                connection.ReportLongRequests(now, _statusUpdateAfter, siloName);
            }
        }
    }

    private void ResolveDependencies()
    {
        var services = _services;
        if (services is not null)
        {
            _handler = (IInboundCallHandler?)services.GetService(typeof(IInboundCallHandler));
            _notificationSink = (IMembershipNotificationSink?)services.GetService(typeof(IMembershipNotificationSink));
        }

        _dependenciesResolved = true;
    }

    private void ResolveOutboundDependencies()
    {
        var services = _services;
        if (services is not null)
        {
            _broadcastReceivers = (BroadcastReceivers?)services.GetService(typeof(BroadcastReceivers));
            if (services.GetService(typeof(IEnumerable<IConnectionLossObserver>)) is IEnumerable<IConnectionLossObserver> observers)
            {
                _lossObservers = [.. observers];
            }
        }

        _outboundDependenciesResolved = true;
    }

    private static partial class Log
    {
        [LoggerMessage(4620, LogLevel.Warning, "A ConnectionFailed handler threw for {Silo}.")]
        public static partial void ConnectionFailedHandlerFailed(ILogger logger, string silo, Exception exception);

        [LoggerMessage(4621, LogLevel.Warning, "Handling the membership notice of version {Version} failed.")]
        public static partial void NoticeHandlerFailed(ILogger logger, int version, Exception exception);

        [LoggerMessage(4622, LogLevel.Error, "Connection-loss observer {Observer} threw for silo {Silo}.")]
        public static partial void ConnectionLossObserverFailed(ILogger logger, string observer, string silo, Exception exception);
    }
}
