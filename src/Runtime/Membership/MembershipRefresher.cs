using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Membership;

/// <summary>
/// What a silo (<see cref="MembershipAgent"/>) and a gateway (<see cref="MembershipClient"/>) do alike to keep their
/// <see cref="MembershipView"/> fresh: the periodic re-read, the re-read on a peer's notice, the reporting of store
/// failures and recoveries (paced by <see cref="StoreFailureBackoff"/>), and closing the connections of silos that die.
/// </summary>
/// <remarks>
/// Each role keeps its own log event ids and wording (a silo serves on its last view, a gateway keeps it), so the log
/// lines are chosen by <c>silo</c>; the logger is the owner's, so the category is too.
/// </remarks>
internal sealed partial class MembershipRefresher
{
    private readonly MembershipView _view;
    private readonly TimeSpan _refreshPeriod;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly bool _silo;
    private readonly CancellationToken _lifetime;
    private readonly StoreFailureBackoff _storeFailures = new();

    /// <param name="view">The view to keep fresh.</param>
    /// <param name="refreshPeriod">The time between periodic re-reads (<see cref="ClusterMembershipOptions.RefreshPeriod"/>).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The owner's logger.</param>
    /// <param name="silo">Whether the owner is a silo (its log lines) or a gateway.</param>
    /// <param name="lifetime">Fires when the owner stops: ends the loop and any re-read on a notice.</param>
    public MembershipRefresher(MembershipView view, TimeSpan refreshPeriod, TimeProvider timeProvider, ILogger logger, bool silo, CancellationToken lifetime)
    {
        _view = view;
        _refreshPeriod = refreshPeriod;
        _timeProvider = timeProvider;
        _logger = logger;
        _silo = silo;
        _lifetime = lifetime;
    }

    /// <summary>A peer says the table reached <paramref name="version"/>: refresh soon; concurrent notices share one read.</summary>
    public void OnPeerNotified(int version)
    {
        if (version <= _view.Current.Version || _lifetime.IsCancellationRequested)
        {
            return;
        }

        _ = RefreshForNoticeAsync(version);
    }

    /// <summary>
    /// Re-reads the table every refresh period (±10 %) until the owner stops; after a failure, backs off (up to one
    /// period) instead. Never throws.
    /// </summary>
    public async Task RunRefreshLoopAsync()
    {
        var cancellationToken = _lifetime;
        var failures = 0;
        try
        {
            while (true)
            {
                // ±10 % so the processes of a cluster do not all read the table at the same moment.
                var delay = failures == 0
                    ? _refreshPeriod * (0.9 + (Random.Shared.NextDouble() / 5))
                    : StoreFailureBackoff.GetRetryDelay(failures, _refreshPeriod);
                await Task.Delay(delay, _timeProvider, cancellationToken);
                try
                {
                    await _view.RefreshNowAsync(cancellationToken);
                    failures = 0;
                    ReportStoreSuccess();
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failures++;
                    ReportStoreFailure("refresh the membership view", ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    /// <summary>
    /// Records that the store failed to do <paramref name="operation"/> and logs it: a warning on the 1st, 2nd, 4th, 8th…
    /// failure in a row, Debug otherwise. Returns how many failures in a row there have been.
    /// </summary>
    public int ReportStoreFailure(string operation, Exception exception)
    {
        var failures = _storeFailures.RecordFailure();
        var warn = StoreFailureBackoff.ShouldWarn(failures);
        switch (_silo, warn)
        {
            case (true, true):
                Log.SiloStoreFailed(_logger, operation, failures, exception);
                break;
            case (true, false):
                Log.SiloStoreFailedAgain(_logger, operation, failures, exception);
                break;
            case (false, true):
                Log.ClientStoreFailed(_logger, operation, failures, exception);
                break;
            default:
                Log.ClientStoreFailedAgain(_logger, operation, failures, exception);
                break;
        }

        return failures;
    }

    /// <summary>Records that the store answered; logs the recovery if it had been failing.</summary>
    public void ReportStoreSuccess()
    {
        var ended = _storeFailures.RecordSuccess();
        if (ended > 0)
        {
            if (_silo)
            {
                Log.SiloStoreRecovered(_logger, ended);
            }
            else
            {
                Log.ClientStoreRecovered(_logger, ended);
            }
        }
    }

    /// <summary>Records that the store answered, without logging a recovery.</summary>
    public void ClearStoreFailures() => _storeFailures.RecordSuccess();

    /// <summary>
    /// Closes the connections to the silos that <paramref name="snapshot"/> shows Dead and <paramref name="previous"/> did
    /// not, so calls waiting on them fail at once. Skips a silo that left gracefully (it closes its own connections once
    /// it has answered) and <paramref name="localSilo"/>; does nothing for the first view (no connections yet) or one
    /// that is not newer.
    /// </summary>
    public void DisconnectNewlyDead(IClusterTransport transport, MembershipSnapshot previous, MembershipSnapshot snapshot, bool newer, SiloAddress? localSilo)
    {
        if (!newer || previous.Version == 0)
        {
            return;
        }

        foreach (var entry in snapshot.Entries)
        {
            if (entry.Status == SiloStatus.Dead && previous.GetStatus(entry.SiloAddress) != SiloStatus.Dead
                && !entry.SiloAddress.Equals(localSilo) && !entry.LeftGracefully())
            {
                if (_silo)
                {
                    Log.PeerDead(_logger, entry.SiloAddress.ToString(), snapshot.Version);
                }

                try
                {
                    transport.Disconnect(entry.SiloAddress);
                }
                catch (Exception ex)
                {
                    if (_silo)
                    {
                        Log.SiloDisconnectFailed(_logger, entry.SiloAddress.ToString(), ex);
                    }
                    else
                    {
                        Log.ClientDisconnectFailed(_logger, entry.SiloAddress.ToString(), ex);
                    }
                }
            }
        }
    }

    private async Task RefreshForNoticeAsync(int version)
    {
        try
        {
            await _view.RefreshAsync(version, _lifetime);
            ReportStoreSuccess();
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            ReportStoreFailure("refresh after a peer's notice", ex);
        }
    }

    private static partial class Log
    {
        // A silo's lines (MembershipAgent's id range).
        [LoggerMessage(4311, LogLevel.Warning, "The membership store failed to {Operation} ({Failures} failures in a row); serving on the last view and retrying.")]
        public static partial void SiloStoreFailed(ILogger logger, string operation, int failures, Exception exception);

        [LoggerMessage(4312, LogLevel.Debug, "The membership store failed to {Operation} ({Failures} failures in a row).")]
        public static partial void SiloStoreFailedAgain(ILogger logger, string operation, int failures, Exception exception);

        [LoggerMessage(4313, LogLevel.Information, "The membership store answers again after {Failures} failures.")]
        public static partial void SiloStoreRecovered(ILogger logger, int failures);

        [LoggerMessage(4315, LogLevel.Warning, "Silo {Silo} is Dead in membership version {Version}; its connection is closed and its calls fail now.")]
        public static partial void PeerDead(ILogger logger, string silo, int version);

        [LoggerMessage(4316, LogLevel.Error, "Disconnecting dead silo {Silo} failed.")]
        public static partial void SiloDisconnectFailed(ILogger logger, string silo, Exception exception);

        // A gateway's lines (MembershipClient's id range).
        [LoggerMessage(4351, LogLevel.Warning, "The membership store failed to {Operation} ({Failures} failures in a row); keeping the last view and retrying.")]
        public static partial void ClientStoreFailed(ILogger logger, string operation, int failures, Exception exception);

        [LoggerMessage(4352, LogLevel.Debug, "The membership store failed to {Operation} ({Failures} failures in a row).")]
        public static partial void ClientStoreFailedAgain(ILogger logger, string operation, int failures, Exception exception);

        [LoggerMessage(4353, LogLevel.Information, "The membership store answers again after {Failures} failures.")]
        public static partial void ClientStoreRecovered(ILogger logger, int failures);

        [LoggerMessage(4354, LogLevel.Error, "Disconnecting dead silo {Silo} failed.")]
        public static partial void ClientDisconnectFailed(ILogger logger, string silo, Exception exception);
    }
}
