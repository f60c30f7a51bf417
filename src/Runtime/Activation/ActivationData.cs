using System.Diagnostics.CodeAnalysis;
using Cluster.Runtime.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Activation;

/// <summary>
/// One activation of a grain: its instance, its state and its mailbox.
/// <para>
/// Mailbox design (instead of a per-activation TaskScheduler): admission is decided under a small lock by the rules
/// of orleans-runtime.md §3.4, and an admitted request runs as one turn from its start until its
/// <see cref="ValueTask{TResult}"/> completes; its await continuations run wherever the thread pool puts them, but no
/// other blocking turn is admitted until it ends, so the grain still sees one turn at a time. A request admitted on
/// arrival starts inline on the caller's thread (no hop); a queued one is started on the thread pool by whoever ends
/// the turn before it. Interleaved requests (a <see cref="ReentrantAttribute"/> grain, an
/// <see cref="AlwaysInterleaveAttribute"/> request) bypass the lock and the queue entirely: an interlocked counter,
/// a volatile state read and the handler call, with no allocation unless the handler completes asynchronously.
/// </para>
/// </summary>
internal sealed partial class ActivationData
{
    // The activation whose blocking or read-only turn the current flow belongs to, so a call-chain reentrancy scope
    // opened anywhere in that turn (before or after an await) knows which activation to open its section in.
    // Interleaved turns never set it: they are never waited behind, so they need no section.
    private static readonly AsyncLocal<ActivationData?> s_currentTurn = new();

    private readonly Lock _lock = new();
    private readonly List<ActivationWorkItem> _waiting = [];
    private readonly ActivationCatalog _catalog;
    private readonly GrainTypeRegistration _registration;

    private int _state; // ActivationState; written under _lock, read lock-free by the interleaved path.
    private int _interleavedRunning; // Interlocked; the only counter the lock-free path touches.
    private bool _blockingRunning; // under _lock
    private long _blockingCallChainId; // under _lock: the call chain the running blocking request belongs to (0: none)
    private List<long>? _callChainSections; // under _lock: chains opened by turns of this activation (one entry per open scope)
    private int _readOnlyRunning; // under _lock
    private long _lastUsedTimestamp;
    private Grain? _grain;
    private AsyncServiceScope? _scope;
    private Task? _activation;
    private Task? _deactivation;
    private TaskCompletionSource? _runningDrained; // deactivation waits for running turns (under _lock)
    private TaskCompletionSource? _idle; // the silo's drain waits for running and waiting requests (Interlocked)

    public ActivationData(GrainId grainId, GrainTypeRegistration registration, ActivationCatalog catalog, StatelessWorkerPool? pool = null)
    {
        GrainId = grainId;
        _registration = registration;
        _catalog = catalog;
        Pool = pool;
        ActivationId = ActivationId.NewId();
        _lastUsedTimestamp = catalog.TimeProvider.GetTimestamp();
    }

    public GrainId GrainId { get; }

    public ActivationId ActivationId { get; }

    public ActivationState State => (ActivationState)Volatile.Read(ref _state);

    /// <summary>The pool this activation is a worker of, or null for the single activation of an ordinary grain.</summary>
    public StatelessWorkerPool? Pool { get; }

    /// <summary>Whether this activation is one of a stateless-worker pool (it has no owner and never moves).</summary>
    public bool IsStatelessWorker => Pool is not null;

    /// <summary>
    /// Valid with nothing running or waiting. Read without the lock, so only a hint (the pool's choice of a worker);
    /// <see cref="TryInvokeIfIdle"/> decides under the lock.
    /// </summary>
    public bool IsIdle => Volatile.Read(ref _state) == (int)ActivationState.Valid
        && !Volatile.Read(ref _blockingRunning)
        && Volatile.Read(ref _readOnlyRunning) == 0
        && Volatile.Read(ref _interleavedRunning) == 0
        && WaitingHint == 0;

    /// <summary>Requests running or waiting here now. Read without the lock: a hint for picking the least-loaded worker.</summary>
    public int Load => (Volatile.Read(ref _blockingRunning) ? 1 : 0)
        + Volatile.Read(ref _readOnlyRunning)
        + Volatile.Read(ref _interleavedRunning)
        + WaitingHint;

    /// <summary>
    /// Requests waiting in this activation's queue now. Read without the lock (the queue's own count: nothing extra is
    /// kept per call), so a scrape may see it a moment stale.
    /// </summary>
    public int QueueLength => WaitingHint;

    /// <summary>The activation whose blocking or read-only turn the current flow runs in; null elsewhere.</summary>
    public static ActivationData? CurrentTurn => s_currentTurn.Value;

    /// <summary>Whether the activation is deactivating or gone: a pool sends nothing new to it.</summary>
    public bool IsEnding => Volatile.Read(ref _state) >= (int)ActivationState.Deactivating;

    /// <summary>Starts <see cref="Grain.OnActivateAsync"/> once; only the instance the catalog kept is ever started.</summary>
    public void EnsureActivationStarted()
    {
        if (Volatile.Read(ref _state) != (int)ActivationState.Creating)
        {
            return;
        }

        lock (_lock)
        {
            if (_state != (int)ActivationState.Creating)
            {
                return;
            }

            Volatile.Write(ref _state, (int)ActivationState.Activating);

            // The first caller's ambient state (Activity, AsyncLocals) must not leak into the activation.
            using (ExecutionContext.SuppressFlow())
            {
                _activation = Task.Run(ActivateAsync);
            }
        }
    }

    /// <summary>Sends a request to the grain: the call path of every local grain call.</summary>
    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(TRequest request, CancellationToken cancellationToken)
    {
        var kind = _registration.IsReentrant ? RequestKind.Interleaved : RequestTraits<TRequest>.Kind;
        if (kind == RequestKind.Interleaved)
        {
            // Enter first, then check the state: deactivation sets the state first, then reads the counter, so one of
            // the two always sees the other (both sides use full fences).
            Interlocked.Increment(ref _interleavedRunning);
            if (Volatile.Read(ref _state) == (int)ActivationState.Valid)
            {
                return RunInterleaved<TRequest, TResponse>(request, cancellationToken);
            }

            ExitInterleaved();
        }

        return InvokeSlow<TRequest, TResponse>(kind, request, cancellationToken);
    }

    /// <summary>
    /// Starts the request now if the activation is Valid with nothing running or waiting (a stateless worker's pool
    /// looking for an idle worker); otherwise leaves it untouched and returns false. Decided under the lock, so two
    /// callers never both take the same idle worker.
    /// </summary>
    public bool TryInvokeIfIdle<TRequest, TResponse>(TRequest request, CancellationToken cancellationToken, out ValueTask<TResponse> pending)
    {
        var kind = _registration.IsReentrant ? RequestKind.Interleaved : RequestTraits<TRequest>.Kind;
        lock (_lock)
        {
            if (_state != (int)ActivationState.Valid || IsRunning() || _waiting.Count > 0)
            {
                pending = default;
                return false;
            }

            // Entered under the lock, so a deactivation (which switches the state under the lock, then waits for
            // running turns) either saw this turn or made the state check above fail.
            MarkRunning(kind, RequestContext.CallChainId);
            Touch();
        }

        pending = RunAdmitted<TRequest, TResponse>(kind, request, cancellationToken);
        return true;
    }

    /// <summary>The grain as a handler of <typeparamref name="TRequest"/>.</summary>
    public IGrainHandler<TRequest, TResponse> GetHandler<TRequest, TResponse>()
        => _grain as IGrainHandler<TRequest, TResponse> ?? ThrowNotHandled<TRequest, TResponse>();

    /// <summary>Queues an item that is looking for an activation (a new call that could not start, or a rerouted one).</summary>
    public void Enqueue(ActivationWorkItem item)
    {
        lock (_lock)
        {
            if (!item.IsWaiting)
            {
                return;
            }

            if (_state != (int)ActivationState.Invalid)
            {
                item.Owner = this;
                if (_state == (int)ActivationState.Valid && MayInvoke(item, out var admitted))
                {
                    StartQueued(item, admitted);
                }
                else
                {
                    _waiting.Add(item);
                }

                return;
            }
        }

        _catalog.Reroute(item, GrainId);
    }

    /// <summary>Called at the end of every turn that started through the lock (blocking, read-only or queued).</summary>
    public void OnTurnCompleted(RequestKind kind)
    {
        if (kind == RequestKind.Interleaved)
        {
            ExitInterleaved();
            return;
        }

        lock (_lock)
        {
            if (kind == RequestKind.Blocking)
            {
                _blockingRunning = false;
                _blockingCallChainId = 0;
            }
            else
            {
                _readOnlyRunning--;
            }

            Touch();
            if (_state == (int)ActivationState.Valid)
            {
                Pump();
            }

            SignalIfDrained();
        }
    }

    /// <summary>A waiting item was cancelled by its caller: forget it.</summary>
    public void RemoveAbandoned(ActivationWorkItem item)
    {
        lock (_lock)
        {
            if (_waiting.Remove(item))
            {
                SignalIfDrained();
            }
        }
    }

    /// <summary>
    /// A turn of this activation opened a call-chain reentrancy scope: requests of <paramref name="callChainId"/> are
    /// admitted while it lasts, even behind the blocking request that opened it (orleans-runtime.md §3.4).
    /// </summary>
    public void EnterCallChain(long callChainId)
    {
        lock (_lock)
        {
            (_callChainSections ??= []).Add(callChainId);
            if (_state == (int)ActivationState.Valid && _waiting.Count > 0)
            {
                Pump();
            }
        }
    }

    /// <summary>The scope opened by <see cref="EnterCallChain"/> was disposed.</summary>
    public void ExitCallChain(long callChainId)
    {
        lock (_lock)
        {
            _callChainSections?.Remove(callChainId);
        }
    }

    /// <summary>
    /// Calls the grain's handler for a blocking or read-only turn with <see cref="CurrentTurn"/> set to this activation
    /// for the turn's flow (its continuations included) and restored for the caller's. May throw what the handler throws.
    /// </summary>
    public ValueTask<TResponse> CallHandlerInTurn<TRequest, TResponse>(TRequest request, CancellationToken cancellationToken)
    {
        var outer = ExecutionContext.Capture();
        s_currentTurn.Value = this;
        try
        {
            return GetHandler<TRequest, TResponse>().HandleAsync(request, cancellationToken);
        }
        finally
        {
            if (outer is null)
            {
                s_currentTurn.Value = null;
            }
            else
            {
                ExecutionContext.Restore(outer);
            }
        }
    }

    /// <summary>Completes when nothing runs or waits here (the silo's drain before deactivating).</summary>
    public Task WhenIdleAsync()
    {
        lock (_lock)
        {
            if (_idle is null)
            {
                var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

                // Publish with a full fence before reading the counters; ExitInterleaved decrements, then reads _idle.
                Interlocked.Exchange(ref _idle, idle);
            }

            var task = _idle.Task;
            SignalIfDrained();
            return task;
        }
    }

    /// <summary>
    /// Switches to <see cref="ActivationState.Deactivating"/> when the activation has been idle for at least
    /// <paramref name="age"/> timestamp ticks; a busy activation is never collected.
    /// </summary>
    public bool TryBeginCollection(long now, long age)
    {
        lock (_lock)
        {
            if (_state != (int)ActivationState.Valid || IsRunning() || _waiting.Count > 0
                || now - Volatile.Read(ref _lastUsedTimestamp) < age)
            {
                return false;
            }

            Interlocked.Exchange(ref _state, (int)ActivationState.Deactivating);
            if (Volatile.Read(ref _interleavedRunning) > 0)
            {
                // An interleaved call slipped in between the checks: it wins and the activation stays.
                Volatile.Write(ref _state, (int)ActivationState.Valid);
                return false;
            }

            _deactivation = Task.Run(() => DeactivateCoreAsync(DeactivationReason.ActivationIdle, CancellationToken.None));
            return true;
        }
    }

    /// <summary>The running collection or deactivation, if any.</summary>
    public Task Deactivation
    {
        get
        {
            lock (_lock)
            {
                return _deactivation ?? Task.CompletedTask;
            }
        }
    }

    /// <summary>A fire-and-forget request to deactivate (e.g. <c>DeactivateOnIdle</c> from inside a turn).</summary>
    public void RequestDeactivation(DeactivationReason reason) => _ = DeactivateAsync(reason, CancellationToken.None);

    /// <summary>
    /// Deactivates: waits for running turns (until <paramref name="cancellationToken"/> fires), runs
    /// <see cref="Grain.OnDeactivateAsync"/>, leaves the catalog and sends the requests still queued to the next activation.
    /// </summary>
    public async Task DeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                switch ((ActivationState)_state)
                {
                    case ActivationState.Creating:
                        // Never started: nothing to deactivate; queued callers go to the catalog (which may refuse them).
                        Volatile.Write(ref _state, (int)ActivationState.Deactivating);
                        _deactivation = Task.Run(FinishAsync, CancellationToken.None);
                        wait = _deactivation;
                        break;
                    case ActivationState.Activating:
                        wait = _activation!;
                        break;
                    case ActivationState.Valid:
                        Interlocked.Exchange(ref _state, (int)ActivationState.Deactivating);
                        _deactivation = Task.Run(() => DeactivateCoreAsync(reason, cancellationToken), CancellationToken.None);
                        wait = _deactivation;
                        break;
                    case ActivationState.Deactivating:
                        wait = _deactivation ?? Task.CompletedTask;
                        break;
                    default:
                        return;
                }
            }

            await wait;
            if (State == ActivationState.Invalid)
            {
                return;
            }
        }
    }

    private ValueTask<TResponse> RunInterleaved<TRequest, TResponse>(TRequest request, CancellationToken cancellationToken)
        => RunAdmitted<TRequest, TResponse>(RequestKind.Interleaved, request, cancellationToken);

    private ValueTask<TResponse> InvokeSlow<TRequest, TResponse>(RequestKind kind, TRequest request, CancellationToken cancellationToken)
    {
        var admitted = false;
        var runAs = kind;
        RequestWorkItem<TRequest, TResponse>? queued = null;

        // The chain this request belongs to: in this process it flows with the caller's context; a request from another
        // silo has it set by the transport.
        var callChainId = RequestContext.CallChainId;
        lock (_lock)
        {
            switch ((ActivationState)_state)
            {
                case ActivationState.Valid when MayInvoke(kind, callChainId, out runAs):
                    MarkRunning(runAs, callChainId);
                    Touch();
                    admitted = true;
                    break;
                case ActivationState.Invalid:
                    break;
                default:
                    // Activating, busy or deactivating: wait in arrival order (a deactivating activation hands its
                    // queue to the next activation).
                    queued = new RequestWorkItem<TRequest, TResponse>(kind, request, cancellationToken, callChainId) { Owner = this };
                    _waiting.Add(queued);
                    break;
            }
        }

        if (admitted)
        {
            return RunAdmitted<TRequest, TResponse>(runAs, request, cancellationToken);
        }

        if (queued is not null)
        {
            queued.RegisterCancellation();
            if (ArrivingRequest.Current is { } arriving && arriving.GrainId.Equals(GrainId))
            {
                // A request from the network that must wait: its status reports say "waiting" until the turn starts.
                arriving.OnQueued(queued);
            }

            return queued.Task;
        }

        // Deactivated between the catalog lookup and here; the catalog no longer holds this activation.
        return _catalog.InvokeAsync<TRequest, TResponse>(GrainId, request, cancellationToken);
    }

    private ValueTask<TResponse> RunAdmitted<TRequest, TResponse>(RequestKind kind, TRequest request, CancellationToken cancellationToken)
    {
        ValueTask<TResponse> pending;
        try
        {
            pending = kind == RequestKind.Interleaved
                ? GetHandler<TRequest, TResponse>().HandleAsync(request, cancellationToken)
                : CallHandlerInTurn<TRequest, TResponse>(request, cancellationToken);
        }
        catch (Exception ex)
        {
            OnTurnCompleted(kind);
            return ValueTask.FromException<TResponse>(ex);
        }

        if (pending.IsCompleted)
        {
            // The synchronous path: the grain's own ValueTask goes back as it is, nothing allocated here.
            OnTurnCompleted(kind);
            return pending;
        }

        return AwaitTurnAsync(pending, kind);
    }

    private async ValueTask<TResponse> AwaitTurnAsync<TResponse>(ValueTask<TResponse> pending, RequestKind kind)
    {
        try
        {
            // Runtime code, not grain code: nothing here needs the caller's context.
            return await pending.ConfigureAwait(false);
        }
        finally
        {
            // The turn ends before the caller resumes, so the caller's next call finds the activation free.
            OnTurnCompleted(kind);
        }
    }

    private void ExitInterleaved()
    {
        // The idle clock starts when a turn ends; a running turn keeps the activation from collection anyway.
        Touch();
        if (Interlocked.Decrement(ref _interleavedRunning) == 0
            && (Volatile.Read(ref _state) != (int)ActivationState.Valid || Volatile.Read(ref _idle) is not null))
        {
            lock (_lock)
            {
                SignalIfDrained();
            }
        }
    }

    // §3.4: an interleaved request always starts; a read-only one unless a blocking one runs; a blocking one only
    // when no blocking or read-only request runs (interleaved ones never block anyone).
    private bool MayInvoke(RequestKind kind) => kind switch
    {
        RequestKind.Interleaved => true,
        RequestKind.ReadOnly => !_blockingRunning,
        _ => !_blockingRunning && _readOnlyRunning == 0,
    };

    // Under _lock. §3.4 plus call-chain reentrancy: a request of a chain that is active here (the running blocking
    // request belongs to it, or a turn here opened a scope for it) may run now; it then runs as an interleaved turn,
    // overlapping the turn that waits for it.
    private bool MayInvoke(RequestKind kind, long callChainId, out RequestKind runAs)
    {
        runAs = kind;
        if (MayInvoke(kind))
        {
            return true;
        }

        if (callChainId != 0 && IsActiveCallChain(callChainId))
        {
            runAs = RequestKind.Interleaved;
            return true;
        }

        return false;
    }

    private bool MayInvoke(ActivationWorkItem item, out RequestKind runAs) => MayInvoke(item.Kind, item.CallChainId, out runAs);

    // Under _lock.
    private bool IsActiveCallChain(long callChainId)
        => (_blockingRunning && _blockingCallChainId == callChainId)
            || (_callChainSections is { Count: > 0 } sections && sections.Contains(callChainId));

    private void MarkRunning(RequestKind kind, long callChainId)
    {
        switch (kind)
        {
            case RequestKind.Blocking:
                _blockingRunning = true;
                _blockingCallChainId = callChainId;
                break;
            case RequestKind.ReadOnly:
                _readOnlyRunning++;
                break;
            default:
                Interlocked.Increment(ref _interleavedRunning);
                break;
        }
    }

    private bool IsRunning() => _blockingRunning || _readOnlyRunning > 0 || Volatile.Read(ref _interleavedRunning) > 0;

    // The queue's length read without the lock (an int read cannot tear; it may be stale). Only hints use it (the pool's
    // IsIdle and Load, the silo's queue gauge), so the ordinary call path keeps no extra counter.
    private int WaitingHint => _waiting.Count;

    private void Touch() => Volatile.Write(ref _lastUsedTimestamp, _catalog.TimeProvider.GetTimestamp());

    // Under _lock, state Valid: start every waiting item the rules admit, in arrival order; an item that must wait
    // does not stop later ones that may run (a read-only request can overtake a waiting write, as in Orleans).
    private void Pump()
    {
        for (var i = 0; i < _waiting.Count;)
        {
            var item = _waiting[i];
            var runAs = item.Kind;
            if (item.IsWaiting && !MayInvoke(item, out runAs))
            {
                i++;
                continue;
            }

            _waiting.RemoveAt(i);
            StartQueued(item, runAs);
        }
    }

    // Under _lock: the turn runs on the thread pool, never inline, so ending a turn never runs the next one on the
    // same stack.
    private void StartQueued(ActivationWorkItem item, RequestKind runAs)
    {
        if (!item.TryStart())
        {
            return;
        }

        item.RunAs = runAs;
        MarkRunning(runAs, item.CallChainId);
        Touch();
        item.StartedTimestamp = Volatile.Read(ref _lastUsedTimestamp);
        ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
    }

    // Under _lock.
    private void SignalIfDrained()
    {
        if (IsRunning())
        {
            return;
        }

        if (_runningDrained is { } drained)
        {
            _runningDrained = null;
            drained.TrySetResult();
        }

        if (_waiting.Count == 0 && Volatile.Read(ref _idle) is { } idle)
        {
            Volatile.Write(ref _idle, null);
            idle.TrySetResult();
        }
    }

    private async Task ActivateAsync()
    {
        var timeout = _catalog.CollectionOptions.ActivationTimeout;
        try
        {
            _scope = _catalog.Services.CreateAsyncScope();
            var grain = _registration.CreateInstance(_scope.Value.ServiceProvider);
            grain.Attach(this);
            _grain = grain;
            using var timeoutSource = new CancellationTokenSource(timeout, _catalog.TimeProvider);
            try
            {
                await grain.OnActivateAsync(timeoutSource.Token).WaitAsync(timeout, _catalog.TimeProvider);
            }
            catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested)
            {
                throw new TimeoutException();
            }
        }
        catch (Exception ex)
        {
            var error = ex is TimeoutException
                ? new TimeoutException($"The activation of grain {GrainId} did not complete within {timeout}.", ex)
                : ex;
            Log.ActivationFailed(_catalog.Logger, GrainId, error);
            await FailActivationAsync(error);
            return;
        }

        lock (_lock)
        {
            Volatile.Write(ref _state, (int)ActivationState.Valid);
            Touch();
            Pump();
            SignalIfDrained();
        }

        Log.Activated(_catalog.Logger, GrainId);
    }

    private async Task FailActivationAsync(Exception error)
    {
        _catalog.Remove(this);
        ActivationWorkItem[] waiting;
        lock (_lock)
        {
            Volatile.Write(ref _state, (int)ActivationState.Invalid);
            waiting = [.. _waiting];
            _waiting.Clear();
            SignalIfDrained();
        }

        // Every caller that waited for this activation gets its failure; the next call starts a new activation.
        foreach (var item in waiting)
        {
            item.Fail(error);
        }

        await DisposeScopeAsync();
    }

    private async Task DeactivateCoreAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Task drained;
        lock (_lock)
        {
            if (IsRunning())
            {
                _runningDrained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _runningDrained.Task;
            }
            else
            {
                drained = Task.CompletedTask;
            }
        }

        try
        {
            await drained.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.DeactivatingWhileBusy(_catalog.Logger, GrainId);
        }

        if (_grain is { } grain)
        {
            var timeout = _catalog.CollectionOptions.DeactivationTimeout;
            using var timeoutSource = new CancellationTokenSource(timeout, _catalog.TimeProvider);
            try
            {
                await grain.OnDeactivateAsync(reason, timeoutSource.Token).WaitAsync(timeout, _catalog.TimeProvider);
            }
            catch (Exception ex)
            {
                // Best effort (as in Orleans): a failing hook does not keep the activation alive.
                Log.DeactivationFailed(_catalog.Logger, GrainId, reason, ex);
            }
        }

        await FinishAsync();
        Log.Deactivated(_catalog.Logger, GrainId, reason);
    }

    private async Task FinishAsync()
    {
        // Leave the catalog before turning Invalid: whoever sees Invalid can go back to the catalog without finding
        // this activation again.
        _catalog.Remove(this);
        ActivationWorkItem[] leftovers;
        lock (_lock)
        {
            Volatile.Write(ref _state, (int)ActivationState.Invalid);
            leftovers = [.. _waiting];
            _waiting.Clear();
            SignalIfDrained();
        }

        foreach (var item in leftovers)
        {
            _catalog.Reroute(item, GrainId);
        }

        await DisposeScopeAsync();
    }

    private async Task DisposeScopeAsync()
    {
        if (_scope is { } scope)
        {
            _scope = null;
            try
            {
                await scope.DisposeAsync();
            }
            catch (Exception ex)
            {
                Log.ScopeDisposeFailed(_catalog.Logger, GrainId, ex);
            }
        }
    }

    [DoesNotReturn]
    private IGrainHandler<TRequest, TResponse> ThrowNotHandled<TRequest, TResponse>()
        => throw new InvalidOperationException(
            $"The grain class '{_registration.GrainClass.FullName}' of grain {GrainId} does not implement " +
            $"IGrainHandler<{typeof(TRequest).Name}, {typeof(TResponse).Name}>.");

    private static partial class Log
    {
        [LoggerMessage(4000, LogLevel.Warning, "The activation of grain {GrainId} failed; waiting callers get the error and the next call retries.")]
        public static partial void ActivationFailed(ILogger logger, GrainId grainId, Exception exception);

        [LoggerMessage(4001, LogLevel.Debug, "Grain {GrainId} was activated.")]
        public static partial void Activated(ILogger logger, GrainId grainId);

        [LoggerMessage(4002, LogLevel.Warning, "OnDeactivateAsync of grain {GrainId} failed or timed out (reason {Reason}); the activation is removed anyway.")]
        public static partial void DeactivationFailed(ILogger logger, GrainId grainId, DeactivationReason reason, Exception exception);

        [LoggerMessage(4003, LogLevel.Debug, "Grain {GrainId} was deactivated (reason {Reason}).")]
        public static partial void Deactivated(ILogger logger, GrainId grainId, DeactivationReason reason);

        [LoggerMessage(4004, LogLevel.Warning, "Grain {GrainId} is deactivated while requests are still running, because the stop deadline passed.")]
        public static partial void DeactivatingWhileBusy(ILogger logger, GrainId grainId);

        [LoggerMessage(4005, LogLevel.Warning, "Disposing the services of grain {GrainId} failed.")]
        public static partial void ScopeDisposeFailed(ILogger logger, GrainId grainId, Exception exception);
    }
}
