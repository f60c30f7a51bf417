using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;

namespace Cluster.Runtime.Membership;

/// <summary>Probing: one <see cref="SiloProbeMonitor"/> per target, kept in line with the view.</summary>
internal sealed partial class MembershipAgent
{
    private readonly Lock _monitorLock = new();
    private readonly Dictionary<SiloAddress, SiloProbeMonitor> _monitors = [];
    private bool _probing;

    // Monitors stopped but maybe still finishing a probe or a vote; awaited when the agent stops. Pruned as they end.
    private readonly List<Task> _stoppedMonitors = [];

    /// <summary>The silos this one probes now (for diagnostics and tests).</summary>
    public IReadOnlyList<SiloAddress> MonitoredSilos
    {
        get
        {
            lock (_monitorLock)
            {
                return [.. _monitors.Keys];
            }
        }
    }

    /// <summary>
    /// The transport lost (or could not open) its connection to <paramref name="silo"/>: probe it now if it is monitored
    /// and looked healthy, instead of at the end of the period (subscribed to <see cref="ClusterTransport.ConnectionFailed"/>). A killed process refuses connections at once, so this
    /// turns its detection from three probe timeouts into about two probe periods.
    /// </summary>
    public void OnConnectionFailed(SiloAddress silo)
    {
        SiloProbeMonitor? monitor;
        lock (_monitorLock)
        {
            _monitors.TryGetValue(silo, out monitor);
        }

        monitor?.ProbeSoon();
    }

    private void StopProbing()
    {
        lock (_monitorLock)
        {
            _probing = false;
            foreach (var monitor in _monitors.Values)
            {
                Retire(monitor);
            }

            _monitors.Clear();
        }
    }

    /// <summary>Brings the probe monitors in line with the current view (existing monitors keep their miss counts).</summary>
    private void UpdateMonitors()
    {
        if (!Volatile.Read(ref _probing))
        {
            return;
        }

        var status = LocalStatus;
        var targets = status is SiloStatus.Joining or SiloStatus.Active && !IsTerminated
            ? SelectProbeTargets(_view.Current, status == SiloStatus.Active)
            : [];

        lock (_monitorLock)
        {
            if (!_probing)
            {
                return;
            }

            List<SiloAddress>? removed = null;
            foreach (var (silo, monitor) in _monitors)
            {
                if (!targets.Contains(silo) || monitor.Completion.IsCompleted)
                {
                    Retire(monitor);
                    (removed ??= []).Add(silo);
                }
            }

            if (removed is not null)
            {
                foreach (var silo in removed)
                {
                    _monitors.Remove(silo);
                }
            }

            foreach (var target in targets)
            {
                if (!_monitors.ContainsKey(target))
                {
                    _monitors.Add(target, new SiloProbeMonitor(target, _transport, _options, _timeProvider, OnMissedLimitAsync, _logger, _stoppingToken, ChooseIntermediary, _health, _metrics));
                }
            }
        }
    }

    /// <summary>
    /// A random other Active, non-stale silo to probe <paramref name="target"/> through, or null if there is none.
    /// Silos this one is itself failing to probe count as unhealthy and are left out, which is how an intermediary that
    /// is unhealthy and failed a probe drops out of the candidates (orleans-runtime.md §1.5; we have no health scores).
    /// </summary>
    private SiloAddress? ChooseIntermediary(SiloAddress target)
    {
        var now = _timeProvider.GetUtcNow();
        List<SiloAddress>? candidates = null;
        foreach (var entry in _view.Current.Entries)
        {
            var silo = entry.SiloAddress;
            if (entry.Status != SiloStatus.Active || silo.Equals(target) || silo.Equals(LocalSilo) || entry.IsStale(now, _options))
            {
                continue;
            }

            SiloProbeMonitor? monitor;
            lock (_monitorLock)
            {
                _monitors.TryGetValue(silo, out monitor);
            }

            if (monitor is null || monitor.ConsecutiveFailures == 0)
            {
                (candidates ??= []).Add(silo);
            }
        }

        return candidates is null ? null : candidates[Random.Shared.Next(candidates.Count)];
    }

    /// <summary>This silo's current local degradation score (0–8; diagnostics and tests).</summary>
    public int LocalHealthScore => _health.Score;

    private bool HasProbeTargets()
    {
        lock (_monitorLock)
        {
            return _monitors.Count > 0;
        }
    }

    private int CountFreshVotesAgainstSelf()
        => _view.Current.TryGetEntry(LocalSilo, out var entry)
            ? DeathVoting.GetFreshVotes(entry.SuspectTimes, _timeProvider.GetUtcNow(), _options.DeathVoteExpiration).Length
            : 0;

    // Under _monitorLock.
    private void Retire(SiloProbeMonitor monitor)
    {
        monitor.Stop();
        _stoppedMonitors.RemoveAll(static task => task.IsCompleted);
        if (!monitor.Completion.IsCompleted)
        {
            _stoppedMonitors.Add(monitor.Completion);
        }
    }

    /// <summary>
    /// Active silos probe their ring targets; joining and active silos both probe every row that is suspected (has a
    /// fresh vote) or stale, which is how a whole-cluster restart clears the rows of processes that no longer exist.
    /// </summary>
    private HashSet<SiloAddress> SelectProbeTargets(MembershipSnapshot snapshot, bool active)
    {
        var targets = new HashSet<SiloAddress>();
        var now = _timeProvider.GetUtcNow();
        List<SiloAddress>? candidates = active ? [] : null;
        foreach (var entry in snapshot.Entries)
        {
            if (!entry.IsProbeTarget() || entry.SiloAddress.Equals(LocalSilo))
            {
                continue;
            }

            candidates?.Add(entry.SiloAddress);
            if (entry.IsStale(now, _options) || !DeathVoting.GetFreshVotes(entry.SuspectTimes, now, _options.DeathVoteExpiration).IsEmpty)
            {
                targets.Add(entry.SiloAddress);
            }
        }

        if (candidates is not null)
        {
            targets.UnionWith(ProbeTargetSelector.Select(LocalSilo, candidates, _options.NumProbedSilos));
        }

        return targets;
    }
}
