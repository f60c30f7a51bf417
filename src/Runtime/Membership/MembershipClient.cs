using Cluster.Runtime.Diagnostics;
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
    private readonly MembershipRefresher _refresher;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private Task _refreshLoop = Task.CompletedTask;

    /// <param name="table">The cluster's membership table.</param>
    /// <param name="options">Liveness options (the refresh period).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="transport">If given, silos that turn Dead are disconnected so calls waiting on them fail at once.</param>
    /// <param name="metrics">Counts the views this gateway reads and the status changes they carry.</param>
    public MembershipClient(
        IMembershipTable table,
        IOptions<ClusterMembershipOptions> options,
        TimeProvider timeProvider,
        ILogger<MembershipClient> logger,
        IClusterTransport? transport = null,
        MembershipMetrics? metrics = null)
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
        _view = new MembershipView(table, logger, OnPublished, _stoppingToken, metrics);
        _refresher = new MembershipRefresher(_view, _options.RefreshPeriod, timeProvider, logger, silo: false, _stoppingToken);
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
                _refresher.ReportStoreSuccess();
                break;
            }
            catch (Exception ex) when (!linked.Token.IsCancellationRequested)
            {
                failures++;
                _refresher.ReportStoreFailure("read the table at start", ex);
                await Task.Delay(StoreFailureBackoff.GetRetryDelay(failures, _options.RefreshPeriod), _timeProvider, linked.Token);
            }
        }

        Log.Started(_logger, _view.Current.Version, _view.Current.ActiveSilos.Length);
        _refreshLoop = Task.Run(() => _refresher.RunRefreshLoopAsync(), CancellationToken.None);
    }

    /// <summary>Stops refreshing; the last view stays readable.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _refreshLoop.WaitAsync(cancellationToken);
    }

    /// <summary>A peer says the table reached <paramref name="version"/>: refresh soon; concurrent notices share one read.</summary>
    public void OnPeerNotified(int version) => _refresher.OnPeerNotified(version);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _refreshLoop;
    }

    private void OnPublished(MembershipSnapshot previous, MembershipSnapshot snapshot, bool newer)
    {
        if (_transport is not null)
        {
            _refresher.DisconnectNewlyDead(_transport, previous, snapshot, newer, localSilo: null);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4350, LogLevel.Information, "Membership view read (version {Version}, {ActiveCount} active silos).")]
        public static partial void Started(ILogger logger, int version, int activeCount);

        // 4351–4354 are MembershipRefresher's (store failures, disconnects).
    }
}
