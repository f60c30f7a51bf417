using Cluster.Runtime.Serialization;

namespace Cluster.Runtime.Networking;

/// <summary>
/// Something sent that waits for an answer by correlation id: a grain request or a ping. It sits in its connection's
/// correlation table from the moment it is queued, so a timeout, a cancellation or a broken connection can find it
/// whether or not it was written yet. Whoever removes it from the table completes it — the reader (answer), the
/// transport's timeout timer, the cancellation callback or the connection's close — so it completes exactly once.
/// </summary>
internal abstract class PendingCall : OutboundFrame
{
    private const int Queued = 0;
    private const int Sent = 1;
    private const int Done = 2;

    private int _state;
    private CancellationTokenRegistration _cancellation;
    private ClusterConnection? _connection;

    protected PendingCall(long deadline) => Deadline = deadline;

    /// <summary>The id the answer carries; unique per connection.</summary>
    public long CorrelationId { get; private set; }

    /// <summary>The <see cref="TimeProvider"/> timestamp after which the call fails with a timeout.</summary>
    public long Deadline { get; }

    /// <summary>The frame kind that answers this call.</summary>
    public abstract FrameKind ReplyKind { get; }

    /// <summary>The connection it was sent on (set before it is queued).</summary>
    protected ClusterConnection Connection => _connection!;

    /// <summary>Binds the call to its connection and correlation id; called once, before it is queued.</summary>
    public void Attach(ClusterConnection connection, long correlationId)
    {
        _connection = connection;
        CorrelationId = correlationId;
    }

    /// <summary>Abandons the wait when <paramref name="cancellationToken"/> fires (the remote call is not cancelled).</summary>
    public void RegisterCancellation(CancellationToken cancellationToken)
        => _cancellation = cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                var call = (PendingCall)state!;
                if (call.Connection.TryRemovePending(call))
                {
                    call.Finish();
                    call.OnCanceled(token);
                }
            },
            this);

    /// <summary>Completes the call with its answer, read from the rest of the frame.</summary>
    /// <exception cref="InvalidDataException">The answer is malformed (the call has been failed first).</exception>
    public void CompleteWithReply(ref WireReader reader)
    {
        Finish();
        OnReply(ref reader);
    }

    /// <summary>
    /// The silo running the call reported on it (it still runs or waits). Kept for the timeout's message; it neither
    /// completes the call nor extends its deadline. Called on the reader loop: must not block.
    /// </summary>
    public virtual void OnStatus(RequestStatusReport report)
    {
    }

    /// <summary>Completes the call as timed out.</summary>
    public void CompleteTimedOut()
    {
        Finish();
        OnTimedOut();
    }

    /// <summary>Completes the call with an exception decided by the caller (it was not sent).</summary>
    public void CompleteNotSent(Exception exception)
    {
        Finish();
        OnFailed(exception);
    }

    /// <summary>
    /// Completes the call because its connection closed: if the request may have reached the peer the outcome is unknown
    /// (<see cref="SiloConnectionLostException"/>); if it was still queued, or the connection never opened, it was not
    /// started (<see cref="SiloUnavailableException"/>).
    /// </summary>
    public void CompleteClosed(bool connectionWasOpen, Exception? cause)
    {
        var sent = Finish();
        var peer = Connection.PeerName;
        Exception exception;
        if (!connectionWasOpen)
        {
            var message = $"Could not open a connection to {peer}; the request was not sent.";
            exception = cause is null ? new SiloUnavailableException(message) : new SiloUnavailableException(message, cause);
        }
        else if (sent)
        {
            var message = $"The connection to {peer} was lost after the request was sent; its outcome is unknown (it is never re-sent).";
            exception = cause is null ? new SiloConnectionLostException(message) : new SiloConnectionLostException(message, cause);
        }
        else
        {
            var message = $"The connection to {peer} closed before the request was sent.";
            exception = cause is null ? new SiloUnavailableException(message) : new SiloUnavailableException(message, cause);
        }

        OnFailed(exception);
    }

    /// <summary>
    /// Called by the writer loop just before writing: <see langword="false"/> if the call has already completed (timed
    /// out or cancelled while queued), in which case it must not be sent.
    /// </summary>
    protected bool TryMarkSent() => Interlocked.CompareExchange(ref _state, Sent, Queued) == Queued;

    /// <summary>Reads the answer and completes the call; on a malformed answer fails it, then throws <see cref="InvalidDataException"/>.</summary>
    protected abstract void OnReply(ref WireReader reader);

    /// <summary>Completes the call as timed out.</summary>
    protected abstract void OnTimedOut();

    /// <summary>Completes the call with <paramref name="exception"/>.</summary>
    protected abstract void OnFailed(Exception exception);

    /// <summary>Completes the call as cancelled by the caller.</summary>
    protected abstract void OnCanceled(CancellationToken cancellationToken);

    // Returns whether the request may have been written. Unregistering never blocks (unlike Dispose), so this is safe
    // inside the cancellation callback itself.
    private bool Finish()
    {
        var previous = Interlocked.Exchange(ref _state, Done);
        _cancellation.Unregister();
        return previous == Sent;
    }
}
