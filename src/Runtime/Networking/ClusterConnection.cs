using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Serialization;
using Cluster.Runtime.Tracing;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Networking;

/// <summary>
/// One authenticated, multiplexed connection between two processes, after the handshake: a reader loop that parses
/// frames straight from the <see cref="PipeReader"/> and a single writer loop that drains a channel into the
/// <see cref="PipeWriter"/>, many frames per flush. The connector's side (outbound) sends requests and pings and keeps
/// their correlation table; the listener's side (inbound) runs requests through <see cref="IInboundCallHandler"/> and
/// answers pings. Both sides carry membership notices. Any malformed frame closes this connection and nothing else.
/// </summary>
internal sealed partial class ClusterConnection
{
    private const int Connecting = 0;
    private const int Open = 1;
    private const int Closed = 2;

    // Bounds on one flush: enough to amortise the syscall under load, small enough that a burst does not delay the first
    // frames behind it (and the pipe's own backpressure still applies through FlushAsync).
    private const int MaxFramesPerFlush = 256;
    private const int MaxBytesPerFlush = 64 * 1024;

    private readonly ClusterTransport _transport;
    private readonly ILogger _logger;
    private readonly Channel<OutboundFrame> _sendQueue = Channel.CreateUnbounded<OutboundFrame>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly ConcurrentDictionary<long, PendingCall> _pending = new();

    // Broadcasts this (inbound) connection still owes an acknowledgement for, by id; see PendingBroadcast.
    private readonly ConcurrentDictionary<long, PendingBroadcast> _broadcasts = new();
    private readonly FrameWriter _frameWriter = new();
    private readonly InboundRequestTable _longRequests = new();
    private readonly CancellationTokenSource _aborted = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ConnectionContext? _context;
    private long _nextCorrelationId;
    private int _state;
    private int _draining;
    private int _peerDone;
    private int _inFlight;
    private int _peerGoingAway;

    // Owned by the writer loop.
    private bool _goAwayWritten;

    // Owned by the reader loop: most requests on a connection name the same grain type, so its string is reused.
    private byte[]? _lastGrainTypeUtf8;
    private GrainType _lastGrainType;

    /// <summary>A connection this process opens to <paramref name="target"/> (call <see cref="StartConnecting"/>).</summary>
    public ClusterConnection(ClusterTransport transport, SiloAddress target)
    {
        _transport = transport;
        _logger = transport.ConnectionLogger;
        Target = target;
        PeerName = target.ToString();
        PeerSilo = target;
        MaxFrameSize = transport.MaxFrameSize;
    }

    /// <summary>A connection a peer opened to this process's listener, after a successful handshake.</summary>
    public ClusterConnection(ClusterTransport transport, ConnectionContext context, string peerIdentity)
    {
        _transport = transport;
        _logger = transport.ConnectionLogger;
        _context = context;
        PeerName = peerIdentity;
        PeerSilo = SiloAddress.TryParse(peerIdentity, out var silo) ? silo : null;
        MaxFrameSize = transport.MaxFrameSize;
    }

    /// <summary>The silo this process connected to; null for an inbound connection.</summary>
    public SiloAddress? Target { get; }

    /// <summary>Whether this process opened the connection.</summary>
    public bool IsOutbound => Target is not null;

    /// <summary>The peer's identity (a silo address, or a gateway's name), for logs and <see cref="InboundCallInfo.Caller"/>.</summary>
    public string PeerName { get; }

    /// <summary>The peer's silo address, if it is a silo.</summary>
    public SiloAddress? PeerSilo { get; }

    /// <summary>The transport this connection belongs to.</summary>
    public ClusterTransport Transport => _transport;

    /// <summary>The largest frame either side may send.</summary>
    public int MaxFrameSize { get; }

    /// <summary>Fires when the connection is lost or closed; handed to grain calls it runs.</summary>
    public CancellationToken Aborted => _aborted.Token;

    /// <summary>Whether the handshake completed and the connection has not closed (the connection gauge counts these).</summary>
    public bool IsOpen => Volatile.Read(ref _state) == Open;

    /// <summary>Whether new calls may be sent on this connection (open or still opening, and not being closed by the peer).</summary>
    public bool IsUsable => Volatile.Read(ref _state) != Closed && Volatile.Read(ref _peerGoingAway) == 0;

    /// <summary>Completes when the connection has closed and its loops have ended.</summary>
    public Task Completion => _completion.Task;

    /// <summary>The requests received on this connection whose grain did not answer at once (for status reports).</summary>
    public InboundRequestTable LongRequests => _longRequests;

    /// <summary>Broadcasts sent on this connection whose acknowledgement is still awaited (tests).</summary>
    public int AwaitedBroadcastAcks => _broadcasts.Count;

    /// <summary>The handler for inbound requests (null in a process that takes none).</summary>
    public IInboundCallHandler? InboundHandler => _transport.InboundHandler;

    /// <summary>Queues a call: its request is written when the connection is open and the writer gets to it.</summary>
    public void Send(PendingCall call, CancellationToken cancellationToken)
    {
        var id = Interlocked.Increment(ref _nextCorrelationId);
        call.Attach(this, id);

        // In the table before the channel: a close that completes the channel then sweeps the table always finds it.
        _pending[id] = call;
        if (cancellationToken.CanBeCanceled)
        {
            call.RegisterCancellation(cancellationToken);
        }

        if (!_sendQueue.Writer.TryWrite(call) && TryRemovePending(call))
        {
            call.CompleteNotSent(new SiloUnavailableException($"The connection to {PeerName} is closed; the request was not sent."));
        }
    }

    /// <summary>Queues a frame that expects no answer (a notice); dropped if the connection has closed.</summary>
    public void Post(OutboundFrame frame) => _sendQueue.Writer.TryWrite(frame);

    /// <summary>
    /// Queues a broadcast on this inbound connection and counts the peer in <paramref name="broadcast"/>; the peer is
    /// counted done at once if the connection is closed or closing (it drops what it learned from this silo then).
    /// </summary>
    public void SendBroadcast(BroadcastFrame frame, PendingBroadcast broadcast)
    {
        broadcast.AddPeer(this);

        // In the table before the state check and the channel: a close that sets Closed then sweeps the table always finds
        // it, or this check sees Closed.
        _broadcasts[broadcast.Id] = broadcast;
        if ((Volatile.Read(ref _state) == Closed || !_sendQueue.Writer.TryWrite(frame)) && TryRemoveBroadcast(broadcast))
        {
            broadcast.OnPeerDone(acknowledged: false);
        }
    }

    /// <summary>Removes a broadcast from the table of those awaiting this peer's acknowledgement; whoever succeeds counts it.</summary>
    public bool TryRemoveBroadcast(PendingBroadcast broadcast)
        => _broadcasts.TryRemove(new KeyValuePair<long, PendingBroadcast>(broadcast.Id, broadcast));

    /// <summary>
    /// A broadcast frame could not be written (it should not happen: its size is checked before it is queued). The peer
    /// would never see the notice, so the connection is closed: it then drops what it learned from this silo.
    /// </summary>
    public void OnBroadcastNotWritten(BroadcastFrame frame, Exception exception)
    {
        Log.BroadcastNotWritten(_logger, frame.Id, PeerName, exception);
        Close(exception, failure: false);
    }

    /// <summary>Removes a call from the correlation table; whoever succeeds completes it.</summary>
    public bool TryRemovePending(PendingCall call)
        => _pending.TryRemove(new KeyValuePair<long, PendingCall>(call.CorrelationId, call));

    /// <summary>Fails every call whose deadline has passed (the transport's timer calls this).</summary>
    public void ExpireCalls(long now)
    {
        foreach (var pair in _pending)
        {
            if (pair.Value.Deadline <= now && _pending.TryRemove(pair))
            {
                pair.Value.CompleteTimedOut();
            }
        }
    }

    /// <summary>Opens the outbound connection in the background; calls queued meanwhile are written once it is open.</summary>
    public void StartConnecting() => _ = ConnectAndRunAsync();

    /// <summary>Runs an inbound connection until it closes.</summary>
    public async Task RunAsync()
    {
        try
        {
            await RunOpenAsync(_context!.Transport).ConfigureAwait(false);
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    /// <summary>
    /// Starts closing an inbound connection gracefully: the peer is told to send no new requests (requests still arriving
    /// are refused unstarted); once it acknowledges and every request in flight has been answered, the writer flushes the
    /// last responses and the connection closes.
    /// </summary>
    public void BeginDrain()
    {
        if (Interlocked.Exchange(ref _draining, 1) != 0)
        {
            return;
        }

        if (_sendQueue.Writer.TryWrite(GoAwayFrame.Instance))
        {
            TryFinishDrain();
        }
    }

    /// <summary>
    /// Closes the connection at once. Calls already written fail with <see cref="SiloConnectionLostException"/>, calls
    /// still queued with <see cref="SiloUnavailableException"/>.
    /// </summary>
    /// <param name="cause">Why, as the inner exception of the calls' failures (may be null).</param>
    /// <param name="failure">Whether to report it as a connection failure (<see cref="ClusterTransport.ConnectionFailed"/>).</param>
    public void Abort(Exception? cause, bool failure) => Close(cause, failure);

    /// <summary>An inbound request's response is ready: queue it and count the request as finished.</summary>
    /// <param name="response">The response frame.</param>
    /// <param name="outcome">Its outcome: one that says the request never started is counted as a refusal.</param>
    public void CompleteInbound(OutboundFrame response, ResponseStatus outcome)
    {
        if (outcome is not (ResponseStatus.Ok or ResponseStatus.Error))
        {
            _transport.Metrics?.RequestRefused(outcome);
        }

        _sendQueue.Writer.TryWrite(response);
        if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _draining) != 0)
        {
            TryFinishDrain();
        }
    }

    /// <summary>
    /// Sends a status report to the caller of every request received here that has been running or waiting for
    /// <paramref name="threshold"/> (timestamp units) since it started or since its last report.
    /// </summary>
    public void ReportLongRequests(long now, long threshold, string silo)
    {
        if (Volatile.Read(ref _state) == Closed)
        {
            return;
        }

        _longRequests.ForEach(
            static (request, scan) =>
            {
                if (request.TryReport(scan.Now, scan.Threshold, scan.Silo, scan.Connection._transport) is { } report)
                {
                    scan.Connection._sendQueue.Writer.TryWrite(report);
                }
            },
            (Now: now, Threshold: threshold, Silo: silo, Connection: this));
    }

    /// <summary>Logs a response that could not be encoded (it is sent as an error instead).</summary>
    public void LogResponseNotWritten(string messageName, Exception exception) => Log.ResponseNotWritten(_logger, messageName, PeerName, exception);

    private async Task ConnectAndRunAsync()
    {
        ConnectionContext? context = null;
        try
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_aborted.Token);
                timeout.CancelAfter(_transport.ConnectTimeout);
                try
                {
                    context = await _transport.ConnectSocketAsync(Target!, timeout.Token).ConfigureAwait(false);
                    await _transport.Handshake.ConnectAsync(context.Transport, Target!, timeout.Token).ConfigureAwait(false);
                    _transport.EnsureOutboundDependencies();
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !_aborted.IsCancellationRequested)
                {
                    throw new TimeoutException($"Connecting to {PeerName} took longer than Cluster:Messaging:ConnectTimeout ({_transport.ConnectTimeout}).");
                }
            }
            catch (Exception ex)
            {
                if (!_aborted.IsCancellationRequested)
                {
                    if (ex is ClusterHandshakeException refused)
                    {
                        Log.ConnectRefused(_logger, PeerName, refused.Reason, refused.Message);
                    }
                    else
                    {
                        Log.ConnectFailed(_logger, PeerName, ex.Message, ex);
                    }
                }

                Close(ex, failure: true);
                return;
            }

            _context = context;
            _transport.OnConnected(this);
            Log.Connected(_logger, PeerName);
            await RunOpenAsync(context.Transport).ConfigureAwait(false);
        }
        finally
        {
            if (context is not null)
            {
                context.Abort();
                await context.DisposeAsync().ConfigureAwait(false);
            }

            _completion.TrySetResult();
        }
    }

    private async Task RunOpenAsync(IDuplexPipe pipe)
    {
        if (Interlocked.CompareExchange(ref _state, Open, Connecting) != Connecting)
        {
            // Closed (disconnected, disposed) while the handshake ran: its calls have already been failed.
            _context?.Abort();
            return;
        }

        var writing = WriteLoopAsync(pipe.Output);
        await ReadLoopAsync(pipe.Input).ConfigureAwait(false);
        await writing.ConfigureAwait(false);
    }

    private void Close(Exception? cause, bool failure)
    {
        var previous = Interlocked.Exchange(ref _state, Closed);
        if (previous == Closed)
        {
            return;
        }

        _sendQueue.Writer.TryComplete();
        try
        {
            _aborted.Cancel();
        }
        catch (AggregateException ex)
        {
            Log.AbortCallbackFailed(_logger, PeerName, ex);
        }

        Volatile.Read(ref _context)?.Abort(cause is null
            ? new ConnectionAbortedException("The cluster connection closed.")
            : new ConnectionAbortedException("The cluster connection closed: " + cause.Message, cause));

        // The transport forgets this connection (and starts the retry delay) before any call fails, so a caller that
        // reacts to its failure already finds the new state.
        var wasOpen = previous == Open;
        _transport.OnConnectionClosed(this, failure, neverOpened: !wasOpen);
        foreach (var pair in _pending)
        {
            if (_pending.TryRemove(pair))
            {
                pair.Value.CompleteClosed(wasOpen, cause);
            }
        }

        // A closed connection counts as done for the broadcasts it still owed: its peer drops what it learned from this
        // silo when it sees the connection close.
        foreach (var pair in _broadcasts)
        {
            if (_broadcasts.TryRemove(pair))
            {
                pair.Value.OnPeerDone(acknowledged: false);
            }
        }

        // Last, after every call on it has failed: whoever keeps what it learned over this connection drops it now.
        if (wasOpen && IsOutbound)
        {
            _transport.OnConnectionLost(Target!);
        }
    }

    private void TryFinishDrain()
    {
        if (Volatile.Read(ref _draining) != 0 && Volatile.Read(ref _peerDone) != 0 && Volatile.Read(ref _inFlight) == 0)
        {
            // The writer loop writes what is queued, flushes and completes the output; the socket then closes.
            _sendQueue.Writer.TryComplete();
        }
    }

    private async Task WriteLoopAsync(PipeWriter output)
    {
        var queue = _sendQueue.Reader;
        try
        {
            while (await queue.WaitToReadAsync().ConfigureAwait(false))
            {
                var written = 0;
                var timestamp = _transport.TimeProvider.GetTimestamp();
                while (written < MaxFramesPerFlush && queue.TryRead(out var frame))
                {
                    if (WriteFrame(output, frame, timestamp))
                    {
                        written++;
                        if (output.CanGetUnflushedBytes && output.UnflushedBytes >= MaxBytesPerFlush)
                        {
                            break;
                        }
                    }
                }

                if (written > 0)
                {
                    var result = await output.FlushAsync().ConfigureAwait(false);
                    if (result.IsCompleted || result.IsCanceled)
                    {
                        break;
                    }
                }
            }
        }
        catch (Exception ex)
        {
            if (Volatile.Read(ref _state) != Closed)
            {
                Log.WriteFailed(_logger, PeerName, ex.Message, ex);
            }

            Close(ex, failure: IsOutbound && Volatile.Read(ref _peerGoingAway) == 0);
        }

        try
        {
            // After a graceful drain this is what closes the socket; after an abort it is harmless.
            await output.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Already torn down.
        }
    }

    private bool WriteFrame(PipeWriter output, OutboundFrame frame, long timestamp)
    {
        if (_goAwayWritten && frame is PendingCall late)
        {
            // Queued behind our GoAway acknowledgement: the peer is closing and will read no request after it.
            if (TryRemovePending(late))
            {
                late.CompleteNotSent(new SiloUnavailableException($"{PeerName} is closing this connection; the request was not sent."));
            }

            return false;
        }

        _frameWriter.Begin(output);
        bool written;
        try
        {
            written = frame.Write(this, _frameWriter, timestamp);
        }
        catch (Exception ex)
        {
            _frameWriter.Cancel();
            frame.OnWriteFailed(this, ex);
            return false;
        }

        if (!written)
        {
            _frameWriter.Cancel();
            return false;
        }

        var length = _frameWriter.Length;
        if (length > MaxFrameSize)
        {
            _frameWriter.Cancel();
            frame.OnWriteFailed(this, new InvalidOperationException($"A frame of {length} bytes is over Cluster:Messaging:MaxFrameSize ({MaxFrameSize})."));
            return false;
        }

        _frameWriter.Commit();
        if (frame is PendingCall { ReplyKind: FrameKind.Response })
        {
            // A grain request (a ping's reply is a Pong).
            _transport.Metrics?.RequestSent();
        }

        if (frame is GoAwayFrame)
        {
            _goAwayWritten = true;
        }

        return true;
    }

    private async Task ReadLoopAsync(PipeReader input)
    {
        Exception? cause = null;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                long leftover;
                try
                {
                    while (TryReadFrame(ref buffer, out var body))
                    {
                        ProcessFrame(body);
                    }

                    leftover = buffer.Length;
                }
                finally
                {
                    input.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    if (leftover > 0)
                    {
                        throw new InvalidDataException($"The connection ended inside a frame ({leftover} bytes of it received).");
                    }

                    break;
                }
            }
        }
        catch (InvalidDataException ex)
        {
            cause = ex;
            Log.MalformedFrame(_logger, PeerName, ex.Message, ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ConnectionAbortedException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection was reset or aborted (InvalidOperationException: the pipe was completed under us).
            cause = ex;
        }
        catch (Exception ex)
        {
            cause = ex;
            Log.ReadFailed(_logger, PeerName, ex);
        }

        try
        {
            await input.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            // Already torn down.
        }

        // The end of an outbound connection is a failure unless the listener announced it (GoAway) or we closed it.
        var expected = !IsOutbound || Volatile.Read(ref _peerGoingAway) != 0 || Volatile.Read(ref _state) == Closed;
        if (!expected)
        {
            Log.ConnectionLost(_logger, PeerName, cause?.Message ?? "the peer closed it");
        }

        Close(cause, failure: !expected);
    }

    private bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> body)
    {
        body = default;
        if (buffer.Length < WireProtocol.FramePrefixSize)
        {
            return false;
        }

        int length;
        if (buffer.FirstSpan.Length >= WireProtocol.FramePrefixSize)
        {
            length = BinaryPrimitives.ReadInt32LittleEndian(buffer.FirstSpan);
        }
        else
        {
            Span<byte> prefix = stackalloc byte[WireProtocol.FramePrefixSize];
            buffer.Slice(0, WireProtocol.FramePrefixSize).CopyTo(prefix);
            length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
        }

        // Checked before waiting for the body: a hostile length never makes us buffer what it announces.
        if (length <= 0 || length > MaxFrameSize)
        {
            throw new InvalidDataException($"A frame length of {length} is out of range (1–{MaxFrameSize}, Cluster:Messaging:MaxFrameSize).");
        }

        if (buffer.Length - WireProtocol.FramePrefixSize < length)
        {
            return false;
        }

        body = buffer.Slice(WireProtocol.FramePrefixSize, length);
        buffer = buffer.Slice(body.End);
        return true;
    }

    private void ProcessFrame(ReadOnlySequence<byte> body)
    {
        var reader = new WireReader(body);
        var kind = (FrameKind)reader.ReadByte();
        switch (kind)
        {
            case FrameKind.Request:
            case FrameKind.ChainedRequest:
            case FrameKind.TracedRequest:
                OnRequest(ref reader, kind);
                break;
            case FrameKind.Status:
                OnStatus(ref reader);
                break;
            case FrameKind.Response:
            case FrameKind.Pong:
                OnReply(kind, ref reader);
                break;
            case FrameKind.Ping:
                var pingId = reader.ReadInt64();
                reader.EnsureEnd();
                _sendQueue.Writer.TryWrite(new PongFrame(pingId, _transport.Identity.SiloAddress?.ToString()));
                break;
            case FrameKind.IndirectPing:
                OnIndirectPing(ref reader);
                break;
            case FrameKind.MembershipNotice:
                var version = reader.ReadInt32();
                reader.EnsureEnd();
                _transport.OnMembershipNotice(version);
                break;
            case FrameKind.GoAway:
                reader.EnsureEnd();
                OnGoAway();
                break;
            case FrameKind.Broadcast:
                OnBroadcast(ref reader);
                break;
            case FrameKind.BroadcastAck:
                OnBroadcastAck(ref reader);
                break;
            default:
                throw new InvalidDataException($"Unknown frame kind {(byte)kind}.");
        }
    }

    private void OnReply(FrameKind kind, ref WireReader reader)
    {
        var id = reader.ReadInt64();
        if (!_pending.TryRemove(id, out var call))
        {
            // Late: the call timed out or was cancelled; its answer is dropped unread.
            return;
        }

        if (call.ReplyKind != kind)
        {
            call.CompleteClosed(connectionWasOpen: true, new InvalidDataException($"A {kind} answered a call that expects a {call.ReplyKind}."));
            throw new InvalidDataException($"A {kind} frame answered correlation id {id}, which expects a {call.ReplyKind}.");
        }

        call.CompleteWithReply(ref reader);
    }

    private void OnBroadcast(ref WireReader reader)
    {
        if (!IsOutbound)
        {
            throw new InvalidDataException("A connector sent a broadcast; only the listener's side sends them.");
        }

        var id = reader.ReadInt64();
        var topic = reader.ReadString(WireProtocol.MaxTopicBytes);
        if (topic.Length == 0)
        {
            throw new InvalidDataException("A broadcast has an empty topic.");
        }

        // Inline on the read loop, as IBroadcastReceiver promises: frames that follow on this connection (responses of
        // later calls) are read only after the receivers have applied the notice.
        _transport.DeliverBroadcast(topic, reader.UnreadSequence);
        _sendQueue.Writer.TryWrite(new BroadcastAckFrame(id));
    }

    private void OnBroadcastAck(ref WireReader reader)
    {
        if (IsOutbound)
        {
            throw new InvalidDataException("A listener sent a broadcast acknowledgement; only the connector's side sends them.");
        }

        var id = reader.ReadInt64();
        reader.EnsureEnd();

        // An unknown id is late (its broadcast timed out on this connection, which is then closing) and dropped.
        if (_broadcasts.TryRemove(id, out var broadcast))
        {
            broadcast.OnPeerDone(acknowledged: true);
        }
    }

    private void OnIndirectPing(ref WireReader reader)
    {
        var id = reader.ReadInt64();
        var targetText = reader.ReadString(WireProtocol.MaxIdentityBytes);
        var timeoutMilliseconds = reader.ReadVarUInt32();
        reader.EnsureEnd();
        if (!SiloAddress.TryParse(targetText, out var target))
        {
            throw new InvalidDataException("An indirect ping names no valid silo address.");
        }

        if (timeoutMilliseconds is 0 or > WireProtocol.MaxIndirectProbeTimeoutMilliseconds)
        {
            throw new InvalidDataException($"An indirect ping asks for a {timeoutMilliseconds} ms probe (1–{WireProtocol.MaxIndirectProbeTimeoutMilliseconds}).");
        }

        // Our own probe, bounded by the asked timeout (so we answer "no" in time rather than not at all); its answer is
        // posted from the probe's completion, never awaited on this reader loop.
        _ = AnswerIndirectPingAsync(id, target, TimeSpan.FromMilliseconds(timeoutMilliseconds));
    }

    private async Task AnswerIndirectPingAsync(long correlationId, SiloAddress target, TimeSpan timeout)
    {
        bool reached;
        try
        {
            reached = await _transport.ProbeAsync(target, timeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // ProbeAsync reports failures as false; anything else still means "not reached".
            reached = false;
        }

        Post(new PongFrame(correlationId, reached ? target.ToString() : null));
    }

    private void OnStatus(ref WireReader reader)
    {
        var id = reader.ReadInt64();
        var progress = (RequestProgress)reader.ReadByte();
        var elapsed = reader.ReadVarUInt32();
        var silo = reader.ReadString(WireProtocol.MaxIdentityBytes);
        reader.EnsureEnd();
        if (progress is not (RequestProgress.Executing or RequestProgress.Waiting))
        {
            throw new InvalidDataException($"Unknown request progress {(byte)progress} in a status report.");
        }

        // Only noted: the call keeps its deadline (Orleans does not extend a timeout on status either). A report for a
        // call that already completed is late and dropped.
        if (_pending.TryGetValue(id, out var call))
        {
            call.OnStatus(new RequestStatusReport(progress, elapsed, silo, _transport.TimeProvider.GetTimestamp()));
        }
    }

    private void OnRequest(ref WireReader reader, FrameKind kind)
    {
        var correlationId = reader.ReadInt64();
        var targetGeneration = reader.ReadInt32();
        var viewVersion = reader.ReadInt32();
        var ttl = reader.ReadVarUInt32();
        var chained = kind == FrameKind.ChainedRequest;
        if (kind == FrameKind.TracedRequest)
        {
            var options = (TracedRequestOptions)reader.ReadByte();
            if ((options & ~TracedRequestOptions.CallChain) != 0)
            {
                throw new InvalidDataException($"A traced request has reserved option bits set ({(byte)options:x2}).");
            }

            chained = options == TracedRequestOptions.CallChain;
        }

        var callChainId = 0L;
        if (chained)
        {
            callChainId = reader.ReadInt64();
            if (callChainId == 0)
            {
                throw new InvalidDataException("A chained request carries call-chain id 0.");
            }
        }

        // Checked even when nobody listens here (a malformed context closes the connection either way); turned into a
        // context, which allocates its ids' text, only when this process records the runtime's spans.
        var parent = kind == FrameKind.TracedRequest ? WireTraceContext.Read(ref reader, RuntimeTracing.IsEnabled) : default;
        var descriptor = ReadMessageType(ref reader);
        var grainType = ReadGrainType(ref reader);
        var key = reader.ReadString(WireProtocol.MaxGrainKeyBytes);
        var grainId = new GrainId(grainType, key);
        _transport.Metrics?.RequestReceived();

        var local = _transport.Identity.SiloAddress;
        if (local is null || local.Generation != targetGeneration)
        {
            Refuse(StatusResponseFrame.Rejected(
                correlationId, $"The request was for generation {targetGeneration}; this is {local?.ToString() ?? "not a silo"}. It did not start."));
            return;
        }

        if (Volatile.Read(ref _draining) != 0)
        {
            Refuse(StatusResponseFrame.Rejected(correlationId, $"Silo {local} is closing this connection; the request did not start."));
            return;
        }

        if (ttl == 0)
        {
            Refuse(StatusResponseFrame.Expired(correlationId));
            return;
        }

        if (InboundHandler is null)
        {
            Refuse(StatusResponseFrame.Rejected(correlationId, $"{local} takes no grain calls; the request did not start."));
            return;
        }

        var expiresAt = _transport.TimeProvider.GetTimestamp() + _transport.MillisecondsToTimestamp(ttl);
        Interlocked.Increment(ref _inFlight);
        IThreadPoolWorkItem work;
        try
        {
            work = descriptor.ReadRequest(this, correlationId, viewVersion, expiresAt, callChainId, parent, grainId, reader.UnreadSequence);
        }
        catch
        {
            Interlocked.Decrement(ref _inFlight);
            throw;
        }

        ThreadPool.UnsafeQueueUserWorkItem(work, preferLocal: false);
    }

    // A request answered before it was decoded: counted as refused (by the frame's outcome) and answered.
    private void Refuse(StatusResponseFrame response)
    {
        _transport.Metrics?.RequestRefused(response.Status);
        _sendQueue.Writer.TryWrite(response);
    }

    private GrainMessageDescriptor ReadMessageType(ref WireReader reader)
    {
        var length = reader.ReadVarUInt32();
        if (length > WireProtocol.MaxMessageNameBytes || length > reader.Remaining)
        {
            throw new InvalidDataException($"A message type name of {length} bytes is longer than allowed or than the frame.");
        }

        var rest = reader.UnreadSequence;
        var name = rest.Slice(0, length);
        var descriptor = _transport.Registry.Find(name)
            ?? throw new InvalidDataException($"Unknown grain message type '{Describe(name)}'.");
        reader = new WireReader(rest.Slice(length));
        return descriptor;
    }

    private GrainType ReadGrainType(ref WireReader reader)
    {
        var start = reader.UnreadSequence;
        var length = reader.ReadVarUInt32();
        if (length == 0 || length > WireProtocol.MaxGrainTypeBytes || length > reader.Remaining)
        {
            throw new InvalidDataException($"A grain type name of {length} bytes is empty, longer than allowed or than the frame.");
        }

        var rest = reader.UnreadSequence;
        var bytes = rest.Slice(0, length);
        if (_lastGrainTypeUtf8 is { } last && bytes.IsSingleSegment && bytes.FirstSpan.SequenceEqual(last))
        {
            reader = new WireReader(rest.Slice(length));
            return _lastGrainType;
        }

        // Decode with WireReader's strict UTF-8 (bad bytes → InvalidDataException), from the length prefix again.
        var decoder = new WireReader(start);
        var name = decoder.ReadString(WireProtocol.MaxGrainTypeBytes);
        reader = decoder;
        _lastGrainTypeUtf8 = bytes.ToArray();
        _lastGrainType = new GrainType(name);
        return _lastGrainType;
    }

    private void OnGoAway()
    {
        if (IsOutbound)
        {
            // The listener is closing: new calls go to a new connection (which a stopping silo refuses at once), and
            // our acknowledgement, queued behind every request already queued, is the last request-bearing frame.
            if (Interlocked.Exchange(ref _peerGoingAway, 1) == 0)
            {
                _transport.ForgetOutbound(this);
                _sendQueue.Writer.TryWrite(GoAwayFrame.Instance);
            }

            return;
        }

        // Inbound: the connector acknowledges our GoAway and will send no more requests.
        if (Volatile.Read(ref _draining) != 0)
        {
            Interlocked.Exchange(ref _peerDone, 1);
            TryFinishDrain();
        }
    }

    private static string Describe(ReadOnlySequence<byte> utf8)
    {
        // For the log only: invalid bytes show as U+FFFD, long names are cut.
        var shown = utf8.Length > 64 ? utf8.Slice(0, 64) : utf8;
        return Encoding.UTF8.GetString(shown);
    }

    private static partial class Log
    {
        [LoggerMessage(4600, LogLevel.Debug, "Connected to silo {Silo}.")]
        public static partial void Connected(ILogger logger, string silo);

        [LoggerMessage(4601, LogLevel.Warning, "Could not connect to silo {Silo}: {Reason}")]
        public static partial void ConnectFailed(ILogger logger, string silo, string reason, Exception exception);

        [LoggerMessage(4602, LogLevel.Warning, "Silo {Silo} refused the connection ({Refusal}): {Reason}")]
        public static partial void ConnectRefused(ILogger logger, string silo, HandshakeRefusal refusal, string reason);

        [LoggerMessage(4604, LogLevel.Warning, "Closing the connection with {Peer} after a malformed frame: {Reason}")]
        public static partial void MalformedFrame(ILogger logger, string peer, string reason, Exception exception);

        [LoggerMessage(4605, LogLevel.Information, "The connection to {Peer} was lost: {Reason}")]
        public static partial void ConnectionLost(ILogger logger, string peer, string reason);

        [LoggerMessage(4606, LogLevel.Warning, "Writing to {Peer} failed; closing the connection: {Reason}")]
        public static partial void WriteFailed(ILogger logger, string peer, string reason, Exception exception);

        [LoggerMessage(4607, LogLevel.Error, "Reading from {Peer} failed unexpectedly; closing the connection.")]
        public static partial void ReadFailed(ILogger logger, string peer, Exception exception);

        [LoggerMessage(4608, LogLevel.Warning, "The response of grain message {MessageName} to {Peer} could not be written; an error is sent instead.")]
        public static partial void ResponseNotWritten(ILogger logger, string messageName, string peer, Exception exception);

        [LoggerMessage(4609, LogLevel.Warning, "A callback on the close of the connection with {Peer} failed.")]
        public static partial void AbortCallbackFailed(ILogger logger, string peer, Exception exception);

        [LoggerMessage(4632, LogLevel.Error, "Broadcast {BroadcastId} could not be written to {Peer}; closing the connection so the peer drops what it learned from this silo.")]
        public static partial void BroadcastNotWritten(ILogger logger, long broadcastId, string peer, Exception exception);
    }
}
