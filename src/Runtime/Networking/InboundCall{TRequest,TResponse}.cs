using System.Runtime.CompilerServices;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Serialization;

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
internal sealed class InboundCall<TRequest, TResponse> : OutboundFrame, IThreadPoolWorkItem
{
    private readonly ClusterConnection _connection;
    private readonly GrainMessageDescriptor<TRequest, TResponse> _descriptor;
    private readonly long _correlationId;
    private readonly int _viewVersion;
    private readonly long _expiresAt;
    private readonly GrainId _grainId;
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
        TRequest request)
    {
        _connection = connection;
        _descriptor = descriptor;
        _correlationId = correlationId;
        _viewVersion = viewVersion;
        _expiresAt = expiresAt;
        _grainId = grainId;
        _request = request;
    }

    /// <summary>Runs the request (on the thread pool).</summary>
    public void Execute()
    {
        var connection = _connection;
        if (connection.Transport.TimeProvider.GetTimestamp() >= _expiresAt)
        {
            // Its time to live ran out while it waited here: the caller has given up, so it must never run.
            _status = ResponseStatus.Expired;
            Finish();
            return;
        }

        ValueTask<TResponse> running;
        try
        {
            running = connection.InboundHandler!.InvokeAsync<TRequest, TResponse>(
                _grainId, _request, new InboundCallInfo(_viewVersion, connection.PeerName), connection.Aborted);
        }
        catch (Exception ex)
        {
            SetFailure(ex);
            Finish();
            return;
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

        // No ExecutionContext to flow: the continuation only records the outcome and queues the response.
        running.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(OnRunCompleted);
    }

    /// <inheritdoc />
    public override bool Write(ClusterConnection connection, FrameWriter writer, long timestamp)
    {
        if (_status != ResponseStatus.Ok)
        {
            StatusResponseFrame.WriteFailure(writer, _correlationId, _status, _text, _message, _ownerViewVersion);
            return true;
        }

        var wire = new WireWriter(writer);
        wire.WriteByte((byte)FrameKind.Response);
        wire.WriteInt64(_correlationId);
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
        StatusResponseFrame.WriteFailure(writer, _correlationId, _status, _text, _message, _ownerViewVersion);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Finish()
    {
        _request = default!;
        _connection.CompleteInbound(this);
    }
}
