using Cluster.Runtime.Hosting;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Membership;

/// <summary>
/// The membership view of a process that is not a silo (a gateway): it reads the table, never writes it. Start reads
/// the table until that works (a gateway cannot route without a view); then it re-reads every
/// <see cref="ClusterMembershipOptions.RefreshPeriod"/>, on <see cref="RefreshAsync"/>, and when a peer says the table
/// moved on (<see cref="OnPeerNotified"/>). With a transport, connections to silos that turn Dead are closed at once.
/// </summary>
internal sealed partial class MembershipClient : IClusterMembership, IMembershipNotificationSink, IHostedService, IAsyncDisposable
{
    private readonly IMembershipTable _table;
    private readonly ClusterMembershipOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly IClusterTransport? _transport;
    private readonly MembershipView _view;
    private readonly StoreFailureBackoff _storeFailures = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private Task _refreshLoop = Task.CompletedTask;

    /// <param name="table">The cluster's membership table.</param>
    /// <param name="options">Liveness options (the refresh period).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="transport">If given, silos that turn Dead are disconnected so calls waiting on them fail at once.</param>
    public MembershipClient(
        IMembershipTable table,
        IOptions<ClusterMembershipOptions> options,
        TimeProvider timeProvider,
        ILogger<MembershipClient> logger,
        IClusterTransport? transport = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _table = table;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _transport = transport;
        _stoppingToken = _stopping.Token;
        _view = new MembershipView(table, logger, OnPublished, _stoppingToken);
    }

    /// <inheritdoc />
    public event Action<MembershipSnapshot>? Changed
    {
        add => _view.Changed += value;
        remove => _view.Changed -= value;
    }

    /// <inheritdoc />
    public MembershipSnapshot Current => _view.Current;

    /// <inheritdoc />
    public Task RefreshAsync(int minVersion, CancellationToken cancellationToken) => _view.RefreshAsync(minVersion, cancellationToken);

    /// <summary>
    /// Reads the table, retrying with backoff until it works or <paramref name="cancellationToken"/> fires, then starts
    /// the periodic refresh. The table is initialized first, so a gateway may start before any silo.
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stoppingToken);
        for (var failures = 0; ; )
        {
            try
            {
                await _table.InitializeAsync(linked.Token);
                await _view.RefreshNowAsync(linked.Token);
                ReportSuccess();
                break;
            }
            catch (Exception ex) when (!linked.Token.IsCancellationRequested)
            {
                failures++;
                ReportFailure("read the table at start", ex);
                await Task.Delay(StoreFailureBackoff.GetRetryDelay(failures, _options.RefreshPeriod), _timeProvider, linked.Token);
            }
        }

        Log.Started(_logger, _view.Current.Version, _view.Current.ActiveSilos.Length);
        _refreshLoop = Task.Run(() => RunRefreshLoopAsync(_stoppingToken), CancellationToken.None);
    }

    /// <summary>Stops refreshing; the last view stays readable.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _refreshLoop.WaitAsync(cancellationToken);
    }

    /// <summary>A peer says the table reached <paramref name="version"/>: refresh soon; concurrent notices share one read.</summary>
    public void OnPeerNotified(int version)
    {
        if (version <= _view.Current.Version || _stoppingToken.IsCancellationRequested)
        {
            return;
        }

        _ = RefreshForNoticeAsync(version);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _refreshLoop;
    }

    private async Task RefreshForNoticeAsync(int version)
    {
        try
        {
            await _view.RefreshAsync(version, _stoppingToken);
            ReportSuccess();
        }
        catch (OperationCanceledException) when (_stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            ReportFailure("refresh after a peer's notice", ex);
        }
    }

    private async Task RunRefreshLoopAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        try
        {
            while (true)
            {
                var delay = failures == 0
                    ? _options.RefreshPeriod * (0.9 + (Random.Shared.NextDouble() / 5))
                    : StoreFailureBackoff.GetRetryDelay(failures, _options.RefreshPeriod);
                await Task.Delay(delay, _timeProvider, cancellationToken);
                try
                {
                    await _view.RefreshNowAsync(cancellationToken);
                    failures = 0;
                    ReportSuccess();
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failures++;
                    ReportFailure("refresh the membership view", ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private void OnPublished(MembershipSnapshot previous, MembershipSnapshot snapshot, bool newer)
    {
        if (!newer || _transport is null || previous.Version == 0)
        {
            return;
        }

        foreach (var entry in snapshot.Entries)
        {
            if (entry.Status == SiloStatus.Dead && previous.GetStatus(entry.SiloAddress) != SiloStatus.Dead && !entry.LeftGracefully())
            {
                try
                {
                    _transport.Disconnect(entry.SiloAddress);
                }
                catch (Exception ex)
                {
                    Log.DisconnectFailed(_logger, entry.SiloAddress.ToString(), ex);
                }
            }
        }
    }

    private void ReportFailure(string operation, Exception exception)
    {
        // The loops count their own failures for their delays; this counter only paces the warnings.
        var inARow = _storeFailures.RecordFailure();
        if (StoreFailureBackoff.ShouldWarn(inARow))
        {
            Log.StoreFailed(_logger, operation, inARow, exception);
        }
        else
        {
            Log.StoreFailedAgain(_logger, operation, inARow, exception);
        }
    }

    private void ReportSuccess()
    {
        var ended = _storeFailures.RecordSuccess();
        if (ended > 0)
        {
            Log.StoreRecovered(_logger, ended);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4350, LogLevel.Information, "Membership view read (version {Version}, {ActiveCount} active silos).")]
        public static partial void Started(ILogger logger, int version, int activeCount);

        [LoggerMessage(4351, LogLevel.Warning, "The membership store failed to {Operation} ({Failures} failures in a row); keeping the last view and retrying.")]
        public static partial void StoreFailed(ILogger logger, string operation, int failures, Exception exception);

        [LoggerMessage(4352, LogLevel.Debug, "The membership store failed to {Operation} ({Failures} failures in a row).")]
        public static partial void StoreFailedAgain(ILogger logger, string operation, int failures, Exception exception);

        [LoggerMessage(4353, LogLevel.Information, "The membership store answers again after {Failures} failures.")]
        public static partial void StoreRecovered(ILogger logger, int failures);

        [LoggerMessage(4354, LogLevel.Error, "Disconnecting dead silo {Silo} failed.")]
        public static partial void DisconnectFailed(ILogger logger, string silo, Exception exception);
    }
}
