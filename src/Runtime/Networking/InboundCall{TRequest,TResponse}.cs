using System.Diagnostics;
using System.Runtime.CompilerServices;
using Cluster.Runtime.Activation;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Serialization;
using Cluster.Runtime.Tracing;

namespace Cluster.Runtime.Networking;

/// <summary>
/// A grain request received on a connection: the thread-pool work item that runs it through
/// <see cref="IInboundCallHandler"/>, then the frame that carries its response back. One allocation per inbound call
/// (plus one delegate when the grain completes asynchronously).
/// </summary>
/// <remarks>
/// Requests run on the thread pool rather than on the connection's reader loop, so a grain that computes for a while
/// never stops the connection from reading other requests and pings (a probe must not fail because a grain is busy).
/// </remarks>
internal sealed class InboundCall<TRequest, TResponse> : InboundRequest, IThreadPoolWorkItem
{
    private readonly GrainMessageDescriptor<TRequest, TResponse> _descriptor;
    private readonly int _viewVersion;
    private readonly long _expiresAt;
    private readonly long _callChainId;

    // The caller's trace context (default: none, or nobody here records spans) and the grain span it parents.
    private readonly ActivityContext _parent;
    private Activity? _activity;
    private TRequest _request;
    private ValueTask<TResponse> _running;
    private ResponseStatus _status;
    private TResponse? _response;
    private string? _text;
    private string? _message;
    private int _ownerViewVersion;

    public InboundCall(
        ClusterConnection connection,
        GrainMessageDescriptor<TRequest, TResponse> descriptor,
        long correlationId,
        int viewVersion,
        long expiresAt,
        GrainId grainId,
        TRequest request,
        long callChainId,
        in ActivityContext parent = default)
        : base(connection, correlationId, grainId)
    {
        _descriptor = descriptor;
        _viewVersion = viewVersion;
        _expiresAt = expiresAt;
        _request = request;
        _callChainId = callChainId;
        _parent = parent;
    }

    /// <summary>Runs the request (on the thread pool).</summary>
    public void Execute()
    {
        var connection = Connection;
        var now = connection.Transport.TimeProvider.GetTimestamp();
        if (now >= _expiresAt)
        {
            // Its time to live ran out while it waited here: the caller has given up, so it must never run.
            _status = ResponseStatus.Expired;
            Finish();
            return;
        }

        StartedAt = now;
        ValueTask<TResponse> running;
        var traced = RuntimeTracing.IsEnabled;
        var outer = _callChainId == 0 && !traced ? null : ExecutionContext.Capture();
        ArrivingRequest.Current = this;
        try
        {
            if (traced)
            {
                // The grain span, a child of the caller's span on the other side of the wire: current for the handler's
                // flow, so what the grain does — and the calls it makes, which carry it on — nests under it.
                _activity = RuntimeTracing.StartGrainSpan(GrainId, connection.Transport.Identity.SiloAddress, _parent);
            }

            if (_callChainId != 0)
            {
                // The chain continues here: admission sees it and the grain's own calls carry it on.
                RequestContext.SetCallChainId(_callChainId);
            }

            running = connection.InboundHandler!.InvokeAsync<TRequest, TResponse>(
                GrainId, _request, new InboundCallInfo(_viewVersion, connection.PeerName), connection.Aborted);
        }
        catch (Exception ex)
        {
            SetFailure(ex);
            Finish();
            return;
        }
        finally
        {
            ArrivingRequest.Current = null;
            if (outer is not null)
            {
                ExecutionContext.Restore(outer);
            }
            else if (_callChainId != 0)
            {
                RequestContext.SetCallChainId(0);
            }
        }

        if (running.IsCompletedSuccessfully)
        {
            _response = running.Result;
            _status = ResponseStatus.Ok;
            Finish();
            return;
        }

        _running = running;
        if (running.IsCompleted)
        {
            OnRunCompleted();
            return;
        }

        // Still running or queued: the silo's status scan may have to report on it.
        connection.LongRequests.Add(this);

        // No ExecutionContext to flow: the continuation only records the outcome and queues the response.
        running.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(OnRunCompleted);
    }

    /// <inheritdoc />
    public override bool Write(ClusterConnection connection, FrameWriter writer, long timestamp)
    {
        if (_status != ResponseStatus.Ok)
        {
            StatusResponseFrame.WriteFailure(writer, CorrelationId, _status, _text, _message, _ownerViewVersion);
            return true;
        }

        var wire = new WireWriter(writer);
        wire.WriteByte((byte)FrameKind.Response);
        wire.WriteInt64(CorrelationId);
        wire.WriteByte((byte)ResponseStatus.Ok);
        try
        {
            _descriptor.ResponseCodec.Write(_response!, writer);
        }
        catch (Exception ex)
        {
            // The grain ran but its response cannot be encoded: tell the caller instead of leaving it to time out.
            connection.LogResponseNotWritten(_descriptor.Name, ex);
            writer.Restart();
            WriteError(writer, ex);
            return true;
        }

        if (writer.Length > connection.MaxFrameSize)
        {
            var exception = new InvalidOperationException(
                $"The response of grain message '{_descriptor.Name}' is {writer.Length} bytes, over Cluster:Messaging:MaxFrameSize ({connection.MaxFrameSize}).");
            connection.LogResponseNotWritten(_descriptor.Name, exception);
            writer.Restart();
            WriteError(writer, exception);
        }

        _response = default;
        return true;
    }

    private void OnRunCompleted()
    {
        try
        {
            _response = _running.ConfigureAwait(false).GetAwaiter().GetResult();
            _status = ResponseStatus.Ok;
        }
        catch (Exception ex)
        {
            SetFailure(ex);
        }

        _running = default;
        Finish();
    }

    // The handler's contract (IInboundCallHandler): SiloUnavailableException = not started, GrainNotOwnedException =
    // another silo owns the grain; any other exception reaches the caller as a RemoteGrainException.
    private void SetFailure(Exception exception)
    {
        switch (exception)
        {
            case SiloUnavailableException:
                _status = ResponseStatus.Rejected;
                _text = exception.Message;
                break;
            case GrainNotOwnedException notOwned:
                _status = ResponseStatus.NotOwner;
                _ownerViewVersion = notOwned.OwnerViewVersion;
                break;
            default:
                _status = ResponseStatus.Error;
                _text = exception.GetType().FullName ?? exception.GetType().Name;
                _message = exception.Message;
                break;
        }
    }

    private void WriteError(FrameWriter writer, Exception exception)
    {
        SetFailure(exception);
        StatusResponseFrame.WriteFailure(writer, CorrelationId, _status, _text, _message, _ownerViewVersion);
    }

    // Ends the grain span with the call's outcome: a refusal or an exception is an error of this span.
    private void EndSpan()
    {
        var activity = _activity!;
        _activity = null;
        switch (_status)
        {
            case ResponseStatus.Ok:
                break;
            case ResponseStatus.Rejected:
                RuntimeTracing.Fail(activity, "rejected");
                break;
            case ResponseStatus.NotOwner:
                RuntimeTracing.Fail(activity, "not_owner");
                break;
            default:
                RuntimeTracing.Fail(activity, _text ?? _status.ToString());
                break;
        }

        activity.Stop();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Finish()
    {
        _request = default!;
        if (_activity is not null)
        {
            EndSpan();
        }

        if (Slot >= 0)
        {
            Connection.LongRequests.Remove(this);
        }

        Connection.CompleteInbound(this, _status);
    }
}
