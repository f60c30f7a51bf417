using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Membership;

/// <summary>
/// Probes one silo on the ordinary data connection (orleans-runtime.md §1.5, 9.2.1's timeout, extended while this silo is degraded): one probe every
/// <see cref="ClusterMembershipOptions.ProbePeriod"/> (start to start; never two at once), each waiting at most
/// <see cref="ClusterMembershipOptions.ProbeTimeout"/>. From <see cref="ClusterMembershipOptions.NumMissedProbesLimit"/>
/// misses in a row on, every further miss asks the agent to vote. A connection failure reported by the transport
/// (<see cref="ProbeSoon"/>) brings the next probe forward while the silo still looks healthy, so a killed process,
/// which refuses connections at once, is detected in about two periods rather than three timeouts. With
/// <see cref="ClusterMembershipOptions.EnableIndirectProbes"/>, the probe after <c>NumMissedProbesLimit − 1</c> misses
/// goes through another silo (orleans-runtime.md §1.5): if that silo reaches the target, the path from here is what is
/// broken, and the count resets instead of turning into a vote. With
/// <see cref="ClusterMembershipOptions.ExtendProbeTimeoutDuringDegradation"/>, each probe waits
/// <c>ProbeTimeout × (1 + local degradation score)</c> (<see cref="LocalSiloHealthMonitor"/>); the period stays, since a
/// probe that times out already pushes the next one back.
/// </summary>
internal sealed partial class SiloProbeMonitor
{
    private readonly IClusterTransport _transport;
    private readonly ClusterMembershipOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Func<SiloAddress, int, Task> _onMissedLimit;
    private readonly Func<SiloAddress, SiloAddress?>? _chooseIntermediary;
    private readonly LocalSiloHealthMonitor? _health;
    private readonly MembershipMetrics? _metrics;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _cancellation;
    private TaskCompletionSource _wake = NewSignal();
    private int _consecutiveFailures;

    // Whether the last probe went through another silo (set and read by the probing loop only).
    private bool _lastProbeIndirect;

    /// <param name="target">The silo to probe.</param>
    /// <param name="transport">Sends the probes.</param>
    /// <param name="options">Period, timeout and miss limit.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="onMissedLimit">Called with the miss count whenever it is at or above the limit (the vote); awaited.</param>
    /// <param name="logger">The agent's logger.</param>
    /// <param name="stopping">Stops this monitor with the agent.</param>
    /// <param name="chooseIntermediary">Picks a healthy silo to probe the target through (null: none available);
    /// null for no indirect probes.</param>
    /// <param name="health">This silo's local health: extends the timeout while degraded, and hears of answered probes.</param>
    /// <param name="metrics">Counts each missed probe by kind.</param>
    public SiloProbeMonitor(
        SiloAddress target,
        IClusterTransport transport,
        ClusterMembershipOptions options,
        TimeProvider timeProvider,
        Func<SiloAddress, int, Task> onMissedLimit,
        ILogger logger,
        CancellationToken stopping,
        Func<SiloAddress, SiloAddress?>? chooseIntermediary = null,
        LocalSiloHealthMonitor? health = null,
        MembershipMetrics? metrics = null)
    {
        Target = target;
        _transport = transport;
        _options = options;
        _timeProvider = timeProvider;
        _onMissedLimit = onMissedLimit;
        _chooseIntermediary = options.EnableIndirectProbes ? chooseIntermediary : null;
        _health = health;
        _metrics = metrics;
        _logger = logger;
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        Completion = Task.Run(() => RunAsync(_cancellation.Token), CancellationToken.None);
    }

    public SiloAddress Target { get; }

    /// <summary>Completes when the monitor has stopped; never faults.</summary>
    public Task Completion { get; }

    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>How long the next probe may wait: the timeout, times (1 + local degradation score) when enabled.</summary>
    public TimeSpan EffectiveProbeTimeout
        => _health is null || !_options.ExtendProbeTimeoutDuringDegradation
            ? _options.ProbeTimeout
            : _options.ProbeTimeout * (1 + _health.Score);

    /// <summary>Probes now instead of at the end of the period, if the last probe succeeded (otherwise the cadence holds).</summary>
    public void ProbeSoon() => Volatile.Read(ref _wake).TrySetResult();

    public void Stop()
    {
        try
        {
            _cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already stopped.
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Jittered so the probes of many monitors (and many silos) do not all go out together.
            var delay = _options.ProbePeriod * Random.Shared.NextDouble();
            while (true)
            {
                await WaitAsync(delay, cancellationToken);
                var started = _timeProvider.GetTimestamp();
                if (await ProbeAsync(cancellationToken))
                {
                    _health?.ReportProbeSucceeded();
                    var previous = Interlocked.Exchange(ref _consecutiveFailures, 0);
                    if (previous > 0)
                    {
                        Log.ProbeRecovered(_logger, Target.ToString(), previous);
                    }
                }
                else
                {
                    var failures = Interlocked.Increment(ref _consecutiveFailures);
                    _metrics?.ProbeFailed(_lastProbeIndirect);
                    Log.ProbeMissed(_logger, Target.ToString(), failures, _options.NumMissedProbesLimit);
                    if (failures >= _options.NumMissedProbesLimit)
                    {
                        await _onMissedLimit(Target, failures);
                    }
                }

                var elapsed = _timeProvider.GetElapsedTime(started);
                delay = elapsed < _options.ProbePeriod ? _options.ProbePeriod - elapsed : TimeSpan.Zero;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped: the silo is no longer a target, or the agent stopped.
        }
        catch (Exception ex)
        {
            Log.MonitorFailed(_logger, Target.ToString(), ex);
        }
        finally
        {
            _cancellation.Dispose();
        }
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay > TimeSpan.Zero)
        {
            using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var timer = Task.Delay(delay, _timeProvider, delayCancellation.Token);

            // An early probe only while the silo looks healthy: a failing one keeps its cadence, or a stream of refused
            // connections (our own probes' among them) would use up the miss limit in a burst.
            if (Volatile.Read(ref _consecutiveFailures) == 0)
            {
                await Task.WhenAny(timer, Volatile.Read(ref _wake).Task);
            }
            else
            {
                await Task.WhenAny(timer);
            }

            // Frees the timer when woken early.
            await delayCancellation.CancelAsync();
        }

        cancellationToken.ThrowIfCancellationRequested();
        Volatile.Write(ref _wake, NewSignal());
    }

    private async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        // The last probe before a vote goes through another silo. A failed indirect probe is only this silo's own miss:
        // Orleans also counts it as the intermediary's vote; we keep to one vote per prober (simpler, and the others'
        // monitors still vote on their own misses), so it never makes a death faster, only a false one rarer.
        _lastProbeIndirect = false;
        var failures = Volatile.Read(ref _consecutiveFailures);
        if (_chooseIntermediary is not null && failures > 0 && failures == _options.NumMissedProbesLimit - 1)
        {
            var intermediary = _chooseIntermediary(Target);
            if (intermediary is not null)
            {
                _lastProbeIndirect = true;
                return await ProbeIndirectlyAsync(intermediary, cancellationToken);
            }
        }

        var timeout = EffectiveProbeTimeout;
        try
        {
            // The transport bounds the probe by the timeout; the extra bound only guards against a transport that does not.
            return await _transport.ProbeAsync(Target, timeout, cancellationToken)
                .WaitAsync(timeout + timeout, _timeProvider, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.ProbeFailed(_logger, Target.ToString(), ex);
            return false;
        }
    }

    private async Task<bool> ProbeIndirectlyAsync(SiloAddress intermediary, CancellationToken cancellationToken)
    {
        var timeout = EffectiveProbeTimeout;
        try
        {
            var reached = await _transport.ProbeIndirectlyAsync(intermediary, Target, timeout, cancellationToken)
                .WaitAsync(timeout + timeout, _timeProvider, cancellationToken);
            Log.IndirectProbe(_logger, Target.ToString(), intermediary.ToString(), reached);
            return reached;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Log.ProbeFailed(_logger, Target.ToString(), ex);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4370, LogLevel.Information, "Probe of silo {Target} missed ({Failures} in a row; votes from {Limit}).")]
        public static partial void ProbeMissed(ILogger logger, string target, int failures, int limit);

        [LoggerMessage(4371, LogLevel.Information, "Silo {Target} answers probes again after {Failures} misses.")]
        public static partial void ProbeRecovered(ILogger logger, string target, int failures);

        [LoggerMessage(4372, LogLevel.Debug, "Probe of silo {Target} threw; it counts as missed.")]
        public static partial void ProbeFailed(ILogger logger, string target, Exception exception);

        [LoggerMessage(4373, LogLevel.Error, "The monitor of silo {Target} failed and stopped; it restarts with the next membership view.")]
        public static partial void MonitorFailed(ILogger logger, string target, Exception exception);

        [LoggerMessage(4374, LogLevel.Information, "Indirect probe of silo {Target} through {Intermediary}: reached = {Reached}.")]
        public static partial void IndirectProbe(ILogger logger, string target, string intermediary, bool reached);
    }
}
