using System.Diagnostics;
using System.Threading.Tasks.Sources;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Serialization;
using Cluster.Runtime.Tracing;

namespace Cluster.Runtime.Networking;

/// <summary>
/// A grain request on its way out and the caller's wait for its response: the one allocation of a remote call. It is
/// the queued frame, the correlation-table entry and the <see cref="IValueTaskSource{TResult}"/> the caller awaits.
/// Not pooled: the writer loop may still hold it after it completed (a call that timed out while queued is skipped by
/// the writer), so reusing it could send the wrong request.
/// </summary>
internal sealed class OutboundCall<TRequest, TResponse> : PendingCall, IValueTaskSource<TResponse>, IThreadPoolWorkItem
{
    private readonly GrainMessageDescriptor<TRequest, TResponse> _descriptor;
    private readonly GrainId _grainId;
    private readonly int _targetGeneration;
    private readonly int _viewVersion;
    private readonly long _callChainId;

    // The caller's span when the call was made (W3C ids only): its context goes into the request frame. Its ids never
    // change once started, so the writer loop may read them later on another thread.
    private readonly Activity? _parent;
    private TRequest _request;
    private RequestStatusReport? _lastStatus;
    private TResponse? _response;
    private Exception? _failure;

    // The caller's continuation must never run on the thread that completes the call (the connection's reader loop, the
    // timeout timer, whoever disconnects). Rather than RunContinuationsAsynchronously, which allocates a work item per
    // completion, the call queues itself to the thread pool (Publish) and completes the core there, inline.
    private ManualResetValueTaskSourceCore<TResponse> _core;

    public OutboundCall(
        GrainMessageDescriptor<TRequest, TResponse> descriptor,
        int targetGeneration,
        GrainId grainId,
        TRequest request,
        int viewVersion,
        long deadline,
        long callChainId,
        Activity? parent = null)
        : base(deadline)
    {
        _callChainId = callChainId;
        _parent = parent;
        _descriptor = descriptor;
        _targetGeneration = targetGeneration;
        _grainId = grainId;
        _request = request;
        _viewVersion = viewVersion;
    }

    /// <inheritdoc />
    public override FrameKind ReplyKind => FrameKind.Response;

    /// <summary>The caller's view of the call.</summary>
    public ValueTask<TResponse> AsValueTask() => new(this, _core.Version);

    /// <inheritdoc />
    public override bool Write(ClusterConnection connection, FrameWriter writer, long timestamp)
    {
        if (!TryMarkSent())
        {
            return false;
        }

        var ttl = connection.Transport.RemainingMilliseconds(Deadline, timestamp);
        if (ttl <= 0)
        {
            // Expired while queued: dropped before sending, as Orleans does, and reported as the timeout it is.
            if (connection.TryRemovePending(this))
            {
                CompleteTimedOut();
            }

            return false;
        }

        // The common case (untraced, no call chain) keeps the shortest form; see README.md for the three forms.
        var wire = new WireWriter(writer);
        var parent = _parent;
        wire.WriteByte((byte)(parent is not null ? FrameKind.TracedRequest : _callChainId == 0 ? FrameKind.Request : FrameKind.ChainedRequest));
        wire.WriteInt64(CorrelationId);
        wire.WriteInt32(_targetGeneration);
        wire.WriteInt32(_viewVersion);
        wire.WriteVarUInt32((uint)ttl);
        if (parent is not null)
        {
            wire.WriteByte((byte)(_callChainId == 0 ? TracedRequestOptions.None : TracedRequestOptions.CallChain));
        }

        if (_callChainId != 0)
        {
            wire.WriteInt64(_callChainId);
        }

        if (parent is not null)
        {
            WireTraceContext.Write(wire, parent);
        }

        wire.WriteRaw(_descriptor.EncodedName);
        wire.WriteString(_grainId.Type.Name);
        wire.WriteString(_grainId.Key);
        _descriptor.RequestCodec.Write(_request, writer);

        // The request is not needed any more; let it go before the response arrives.
        _request = default!;
        return true;
    }

    /// <inheritdoc />
    public override void OnWriteFailed(ClusterConnection connection, Exception exception)
    {
        if (connection.TryRemovePending(this))
        {
            CompleteNotSent(new InvalidOperationException(
                $"The request of grain message '{_descriptor.Name}' to {_grainId} could not be written, so it was not sent: {exception.Message}",
                exception));
        }
    }

    /// <summary>Completes the caller's wait on a thread-pool thread (see <see cref="Publish"/>).</summary>
    void IThreadPoolWorkItem.Execute()
    {
        if (_failure is null)
        {
            _core.SetResult(_response!);
        }
        else
        {
            _core.SetException(_failure);
        }
    }

    /// <inheritdoc />
    public TResponse GetResult(short token) => _core.GetResult(token);

    /// <inheritdoc />
    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    /// <inheritdoc />
    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    /// <inheritdoc />
    protected override void OnReply(ref WireReader reader)
    {
        Exception? failure;
        try
        {
            var status = (ResponseStatus)reader.ReadByte();
            switch (status)
            {
                case ResponseStatus.Ok:
                    TResponse response;
                    try
                    {
                        response = _descriptor.ResponseCodec.Read(reader.UnreadSequence);
                    }
                    catch (Exception ex) when (ex is not InvalidDataException)
                    {
                        throw new InvalidDataException($"The response codec of '{_descriptor.Name}' failed: {ex.Message}", ex);
                    }

                    Succeed(response);
                    return;
                case ResponseStatus.Rejected:
                    failure = new SiloUnavailableException(reader.ReadString(WireProtocol.MaxReasonBytes));
                    break;
                case ResponseStatus.NotOwner:
                    failure = new GrainNotOwnedException(reader.ReadInt32());
                    break;
                case ResponseStatus.Error:
                    var type = reader.ReadString(WireProtocol.MaxExceptionTypeBytes);
                    failure = new RemoteGrainException(type, reader.ReadString(WireProtocol.MaxExceptionMessageBytes));
                    break;
                case ResponseStatus.Expired:
                    failure = new TimeoutException(
                        $"The request to {_grainId} on {Connection.PeerName} expired before it started there; it never ran.");
                    break;
                default:
                    throw new InvalidDataException($"Unknown response status {(byte)status}.");
            }

            reader.EnsureEnd();
        }
        catch (InvalidDataException ex)
        {
            // The call ran or may have: its outcome is unknown. The connection closes after this.
            Fail(new SiloConnectionLostException(
                $"The response from {Connection.PeerName} to the request to {_grainId} was malformed; its outcome is unknown.", ex));
            throw;
        }

        Fail(failure);
    }

    /// <inheritdoc />
    public override void OnStatus(RequestStatusReport report) => Volatile.Write(ref _lastStatus, report);

    /// <inheritdoc />
    protected override void OnTimedOut()
    {
        var status = Volatile.Read(ref _lastStatus);
        var last = status is null
            ? "No status report was received."
            : $"The last status report said it was {status.Describe()}.";
        Fail(new TimeoutException(
            $"No response from {Connection.PeerName} to the request to {_grainId} within the response timeout " +
            $"(Cluster:Messaging:ResponseTimeout); its outcome is unknown (it is never re-sent). {last}"));
    }

    /// <inheritdoc />
    protected override void OnFailed(Exception exception) => Fail(exception);

    /// <inheritdoc />
    protected override void OnCanceled(CancellationToken cancellationToken) => Fail(new OperationCanceledException(cancellationToken));

    private void Succeed(TResponse response)
    {
        _response = response;
        Publish();
    }

    private void Fail(Exception exception)
    {
        _failure = exception;
        Publish();
    }

    // Called once (PendingCall guarantees a single completion); the queue's handoff publishes the fields to Execute.
    private void Publish() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
}
