namespace Cluster.Runtime.Membership;

/// <summary>
/// Lifeguard-style local health (orleans-runtime.md §1.5 "Self-preservation"): about once a second, scores how degraded
/// this process looks from cheap local signals, 0 (healthy) to <see cref="MaxScore"/>. A degraded observer multiplies
/// its probe timeout by <c>1 + score</c> (<see cref="SiloProbeMonitor"/>), so a silo that is itself starved or cut off
/// waits longer instead of accusing healthy peers.
/// </summary>
/// <remarks>
/// Weights (each signal reflects the latest check only, so the score falls back as soon as the process is healthy):
/// the thread pool did not run the work item queued at the previous check (2); the check's own timer fired more than a
/// period late (2); this silo has probe targets but no probe of any succeeded within
/// <see cref="ClusterMembershipOptions.NumMissedProbesLimit"/> × max(period, timeout) (2); one per fresh vote against
/// this silo in the current view, at most 2. Starvation and lateness weigh as much as the outside evidence because they
/// are the usual cause of false accusations (a paused or overloaded process misses its peers' answers).
/// </remarks>
internal sealed class LocalSiloHealthMonitor : IDisposable
{
    /// <summary>The highest score.</summary>
    public const int MaxScore = 8;

    private static readonly TimeSpan s_checkPeriod = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _probeWindow;
    private readonly Func<bool> _hasProbeTargets;
    private readonly Func<int> _freshVotesAgainstSelf;
    private readonly Action<Action> _queueWorkItem;
    private readonly Action _workItem;
    private readonly Lock _lock = new();
    private ITimer? _timer;
    private long _lastCheck;
    private long _lastProbeSuccess;
    private int _workItemPending;
    private int _score;

    /// <param name="timeProvider">The clock.</param>
    /// <param name="options">Probe period, timeout and miss limit (the window for "no successful probe recently").</param>
    /// <param name="hasProbeTargets">Whether this silo probes anyone now.</param>
    /// <param name="freshVotesAgainstSelf">How many fresh votes against this silo the current view holds.</param>
    /// <param name="queueWorkItem">Queues a work item on the thread pool (tests substitute a starved pool).</param>
    public LocalSiloHealthMonitor(
        TimeProvider timeProvider,
        ClusterMembershipOptions options,
        Func<bool> hasProbeTargets,
        Func<int> freshVotesAgainstSelf,
        Action<Action>? queueWorkItem = null)
    {
        _timeProvider = timeProvider;
        _probeWindow = (options.ProbePeriod > options.ProbeTimeout ? options.ProbePeriod : options.ProbeTimeout) * options.NumMissedProbesLimit;
        _hasProbeTargets = hasProbeTargets;
        _freshVotesAgainstSelf = freshVotesAgainstSelf;
        _queueWorkItem = queueWorkItem ?? (static item => ThreadPool.UnsafeQueueUserWorkItem(static state => ((Action)state!)(), item));
        _workItem = () => Volatile.Write(ref _workItemPending, 0);
        _lastCheck = timeProvider.GetTimestamp();
        _lastProbeSuccess = _lastCheck;
    }

    /// <summary>The latest score, 0 to <see cref="MaxScore"/>.</summary>
    public int Score => Volatile.Read(ref _score);

    /// <summary>Checks every second from now on.</summary>
    public void Start()
    {
        lock (_lock)
        {
            _lastCheck = _timeProvider.GetTimestamp();
            _timer ??= _timeProvider.CreateTimer(static state => ((LocalSiloHealthMonitor)state!).Check(), this, s_checkPeriod, s_checkPeriod);
        }
    }

    /// <summary>A probe sent by this silo got its answer.</summary>
    public void ReportProbeSucceeded() => Volatile.Write(ref _lastProbeSuccess, _timeProvider.GetTimestamp());

    /// <summary>Recomputes the score (the timer's callback; tests call it directly).</summary>
    /// <returns>The new score.</returns>
    public int Check()
    {
        lock (_lock)
        {
            var now = _timeProvider.GetTimestamp();
            var score = 0;

            // The item queued at the previous check has not run: the pool is starved.
            if (Volatile.Read(ref _workItemPending) != 0)
            {
                score += 2;
            }
            else
            {
                Volatile.Write(ref _workItemPending, 1);
                _queueWorkItem(_workItem);
            }

            // The check itself ran more than a period late: the process was paused or overloaded.
            if (_timeProvider.GetElapsedTime(_lastCheck, now) > s_checkPeriod + s_checkPeriod)
            {
                score += 2;
            }

            _lastCheck = now;

            // Nobody answered any of our probes lately: more likely our network than all of theirs.
            // (Without targets the window restarts, so a silo that just got its first target is not degraded at once.)
            if (!_hasProbeTargets())
            {
                Volatile.Write(ref _lastProbeSuccess, now);
            }
            else if (_timeProvider.GetElapsedTime(Volatile.Read(ref _lastProbeSuccess), now) > _probeWindow)
            {
                score += 2;
            }

            score += Math.Clamp(_freshVotesAgainstSelf(), 0, 2);
            score = Math.Min(score, MaxScore);
            Volatile.Write(ref _score, score);
            return score;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }
}
