using Cluster.Gateway.Diagnostics;
using Cluster.Runtime;
using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Dashboard;

/// <summary>
/// Asks every live silo of the view for its <see cref="SiloStats"/> at once, and waits at most
/// <see cref="DashboardOptions.SiloTimeout"/> for the answers. A silo that has not answered by then — or hangs
/// altogether, whatever its client does with cancellation — keeps its last numbers, marked unreachable; it is asked again
/// once its pending request ended. Dead silos are listed with their last numbers and never asked.
/// </summary>
internal sealed partial class DashboardSiloPoller
{
    private readonly ISiloStatsClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _timeout;

    // Touched by the sampler's loop only (one sample at a time); the probes themselves are written by their requests.
    private readonly Dictionary<SiloAddress, SiloStatsProbe> _probes = [];

    public DashboardSiloPoller(ISiloStatsClient client, IOptions<DashboardOptions> options, TimeProvider time, ILogger<DashboardSiloPoller> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _client = client;
        _time = time;
        _logger = logger;
        _timeout = options.Value.SiloTimeout;
    }

    /// <summary>One row per silo of <paramref name="view"/>: the live ones first, then the dead, each by address.</summary>
    public async Task<DashboardSilo[]> PollAsync(MembershipSnapshot view, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(view);
        foreach (var gone in _probes.Keys.Where(silo => !view.TryGetEntry(silo, out _)).ToList())
        {
            _probes.Remove(gone);
        }

        var asked = new List<Task>(view.Entries.Length);
        foreach (var entry in view.Entries)
        {
            if (!_probes.TryGetValue(entry.SiloAddress, out var probe))
            {
                probe = new SiloStatsProbe();
                _probes.Add(entry.SiloAddress, probe);
            }

            if (entry.Status == SiloStatus.Dead)
            {
                continue;
            }

            if (probe.Pending is null || probe.Pending.IsCompleted)
            {
                probe.Pending = AskAsync(entry.SiloAddress, probe, cancellationToken);
            }

            asked.Add(probe.Pending);
        }

        if (asked.Count > 0)
        {
            try
            {
                await Task.WhenAll(asked).WaitAsync(_timeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The silos that did not answer are shown unreachable; their requests go on (bounded by their own timeout).
            }
        }

        var now = _time.GetTimestamp();
        var rows = new DashboardSilo[view.Entries.Length];
        var next = 0;
        foreach (var dead in new[] { false, true })
        {
            foreach (var entry in view.Entries)
            {
                if ((entry.Status == SiloStatus.Dead) == dead)
                {
                    rows[next++] = Row(entry, _probes[entry.SiloAddress], now);
                }
            }
        }

        return rows;
    }

    private DashboardSilo Row(MembershipEntry entry, SiloStatsProbe probe, long now)
    {
        var dead = entry.Status == SiloStatus.Dead;
        var reachable = !dead && probe.Pending is { IsCompleted: true } && probe.LastSucceeded;
        var stats = probe.Last;
        double? uptime = dead
            ? null
            : stats is not null
                ? (stats.Uptime + _time.GetElapsedTime(probe.LastAnsweredAt, now)).TotalSeconds
                : entry.StartTime == default ? null : Math.Max(0, (_time.GetUtcNow() - entry.StartTime).TotalSeconds);
        return new DashboardSilo(
            entry.SiloAddress.ToString(),
            stats?.SiloName is { Length: > 0 } name ? name : entry.SiloName,
            stats?.HostName is { Length: > 0 } host ? host : entry.HostName,
            SiloStatusNames.Of(entry.Status),
            reachable,
            uptime,
            stats?.Activations,
            stats?.CpuPercent,
            stats?.WorkingSetBytes,
            stats?.GcHeapBytes,
            stats?.MessagesReceived,
            stats?.MessagesSent,
            stats?.MessagesRejected,
            stats?.QueuedRequests,
            stats?.Connections);
    }

    private async Task AskAsync(SiloAddress silo, SiloStatsProbe probe, CancellationToken cancellationToken)
    {
        // Off the caller's stack: a client that blocks before its first await must not hold up the other silos.
        await Task.Yield();
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            var stats = await _client.GetAsync(silo, linked.Token).ConfigureAwait(false);
            probe.Answered(stats, _time.GetTimestamp());
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            probe.Failed();
        }
        catch (Exception exception) when (exception is OperationCanceledException or TimeoutException or SiloUnavailableException)
        {
            probe.Failed();
            Log.SiloDidNotAnswer(_logger, silo.ToString(), exception.GetType().Name);
        }
        catch (Exception exception)
        {
            probe.Failed();
            Log.SiloStatsFailed(_logger, silo.ToString(), exception);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.DashboardSiloDidNotAnswer, LogLevel.Debug, "Silo {Silo} did not answer the dashboard's statistics request ({Reason}); it is shown unreachable with its last numbers.")]
        public static partial void SiloDidNotAnswer(ILogger logger, string silo, string reason);

        [LoggerMessage(GatewayEventIds.DashboardSiloStatsFailed, LogLevel.Warning, "The dashboard's statistics request to silo {Silo} failed; it is shown unreachable with its last numbers.")]
        public static partial void SiloStatsFailed(ILogger logger, string silo, Exception exception);
    }
}
