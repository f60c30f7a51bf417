using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;

namespace Cluster.Runtime.Activation;

/// <summary>
/// A queued request and the caller's pending result in one object (one allocation per queued call; calls that start
/// on arrival never create one). Used once, never pooled, so a stale <see cref="ValueTask{TResult}"/> cannot observe a
/// later call's result.
/// </summary>
internal sealed class RequestWorkItem<TRequest, TResponse> : ActivationWorkItem, IValueTaskSource<TResponse>
{
    private readonly TRequest _request;
    private readonly CancellationToken _cancellationToken;
    private ManualResetValueTaskSourceCore<TResponse> _core;
    private CancellationTokenRegistration _cancellation;
    private ConfiguredValueTaskAwaitable<TResponse>.ConfiguredValueTaskAwaiter _pending;

    public RequestWorkItem(RequestKind kind, TRequest request, CancellationToken cancellationToken, long callChainId = 0)
        : base(kind, callChainId)
    {
        _request = request;
        _cancellationToken = cancellationToken;

        // The caller must never run its continuation on the thread that finishes the turn: that thread is about to
        // admit the next queued request.
        _core.RunContinuationsAsynchronously = true;
    }

    public ValueTask<TResponse> Task => new(this, _core.Version);

    /// <summary>Lets the caller give up while the request still waits (once it runs, the grain sees the token).</summary>
    public void RegisterCancellation()
    {
        if (_cancellationToken.CanBeCanceled)
        {
            _cancellation = _cancellationToken.UnsafeRegister(static state => ((RequestWorkItem<TRequest, TResponse>)state!).OnCanceled(), this);
        }
    }

    public TResponse GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);

    protected override void OnStarted() => _cancellation.Unregister();

    protected override void SetException(Exception exception)
    {
        _cancellation.Unregister();
        _core.SetException(exception);
    }

    protected override void RunTurn()
    {
        var activation = Owner!;
        ValueTask<TResponse> pending;
        try
        {
            pending = RunAs == RequestKind.Interleaved
                ? activation.GetHandler<TRequest, TResponse>().HandleAsync(_request, _cancellationToken)
                : activation.CallHandlerInTurn<TRequest, TResponse>(_request, _cancellationToken);
        }
        catch (Exception ex)
        {
            activation.OnTurnCompleted(RunAs);
            _core.SetException(ex);
            return;
        }

        if (pending.IsCompleted)
        {
            Complete(activation, pending);
            return;
        }

        // Wait without an async state machine: this object already is the per-call allocation.
        _pending = pending.ConfigureAwait(false).GetAwaiter();
        _pending.UnsafeOnCompleted(OnPendingCompleted);
    }

    private void OnPendingCompleted()
    {
        var awaiter = _pending;
        _pending = default;
        TResponse result;
        try
        {
            result = awaiter.GetResult();
        }
        catch (Exception ex)
        {
            Owner!.OnTurnCompleted(RunAs);
            _core.SetException(ex);
            return;
        }

        Owner!.OnTurnCompleted(RunAs);
        _core.SetResult(result);
    }

    private void Complete(ActivationData activation, ValueTask<TResponse> completed)
    {
        TResponse result;
        try
        {
            result = completed.GetAwaiter().GetResult();
        }
        catch (Exception ex)
        {
            activation.OnTurnCompleted(RunAs);
            _core.SetException(ex);
            return;
        }

        // The activation is released before the caller resumes, so the caller's next call finds it free.
        activation.OnTurnCompleted(RunAs);
        _core.SetResult(result);
    }

    private void OnCanceled()
    {
        if (TryAbandon())
        {
            _core.SetException(new OperationCanceledException(_cancellationToken));
            Owner?.RemoveAbandoned(this);
        }
    }
}
