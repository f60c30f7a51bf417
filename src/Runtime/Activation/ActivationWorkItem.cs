namespace Cluster.Runtime.Activation;

/// <summary>
/// A request that could not start on arrival (the activation was busy, activating or deactivating). It waits in an
/// activation's queue, may move to a newer activation of the same grain, and finally runs as one turn on the thread
/// pool with the caller's execution context — so a queued call sees the same ambient state (Activity, logging scopes)
/// as one that started inline.
/// </summary>
internal abstract class ActivationWorkItem : IThreadPoolWorkItem
{
    private const int StateWaiting = 0;
    private const int StateStarted = 1;
    private const int StateAbandoned = 2;

    private static readonly ContextCallback s_runTurn = static state => ((ActivationWorkItem)state!).RunTurn();

    private readonly ExecutionContext? _executionContext;
    private ActivationData? _owner;
    private long _startedTimestamp;
    private int _state;

    protected ActivationWorkItem(RequestKind kind, long callChainId = 0)
    {
        Kind = kind;
        RunAs = kind;
        CallChainId = callChainId;
        _executionContext = ExecutionContext.Capture();
    }

    /// <summary>How the request may overlap with others.</summary>
    public RequestKind Kind { get; }

    /// <summary>The call chain the request belongs to (0: none); a chain active in the activation lets it in early.</summary>
    public long CallChainId { get; }

    /// <summary>
    /// How the turn was admitted and is accounted: <see cref="Kind"/>, or <see cref="RequestKind.Interleaved"/> when its
    /// call chain let it in past a blocking turn. Set under the activation's lock before the item is queued to run.
    /// </summary>
    public RequestKind RunAs { get; set; }

    /// <summary>The timestamp at which the turn was admitted (0 while waiting); for status reports.</summary>
    public long StartedTimestamp
    {
        get => Volatile.Read(ref _startedTimestamp);
        set => Volatile.Write(ref _startedTimestamp, value);
    }

    /// <summary>The activation whose queue holds (or ran) the item. Set under that activation's lock.</summary>
    public ActivationData? Owner
    {
        get => Volatile.Read(ref _owner);
        set => Volatile.Write(ref _owner, value);
    }

    /// <summary>Whether the item is still waiting (not started, cancelled or failed).</summary>
    public bool IsWaiting => Volatile.Read(ref _state) == StateWaiting;

    /// <summary>Claims the item for running; false when it was cancelled or failed meanwhile.</summary>
    public bool TryStart()
    {
        if (Interlocked.CompareExchange(ref _state, StateStarted, StateWaiting) != StateWaiting)
        {
            return false;
        }

        OnStarted();
        return true;
    }

    /// <summary>Completes a waiting item with <paramref name="exception"/>; does nothing once it started.</summary>
    public void Fail(Exception exception)
    {
        if (TryAbandon())
        {
            SetException(exception);
        }
    }

    void IThreadPoolWorkItem.Execute()
    {
        if (_executionContext is null)
        {
            RunTurn();
        }
        else
        {
            ExecutionContext.Run(_executionContext, s_runTurn, this);
        }
    }

    /// <summary>Moves a waiting item to abandoned; true for the one caller that wins.</summary>
    protected bool TryAbandon() => Interlocked.CompareExchange(ref _state, StateAbandoned, StateWaiting) == StateWaiting;

    /// <summary>Called once when the item is claimed for running.</summary>
    protected abstract void OnStarted();

    /// <summary>Completes the caller's task with an exception.</summary>
    protected abstract void SetException(Exception exception);

    /// <summary>Runs the request on <see cref="Owner"/> and reports the end of the turn to it.</summary>
    protected abstract void RunTurn();
}
