using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Membership;

/// <summary>
/// A silo's membership (orleans-runtime.md §1.4–§1.7): joins the table, keeps the view fresh, writes I-am-alive,
/// probes its peers, votes unreachable ones dead, and stops the process when the table says it is dead itself.
/// The silo's hosted service calls <see cref="JoinAsync"/>, then <see cref="ShutDownAsync"/> and <see cref="LeaveAsync"/>
/// on stop; the transport calls <see cref="OnPeerNotified"/> and <see cref="OnConnectionFailed"/>.
/// </summary>
/// <remarks>
/// Safety over liveness: every status and vote change is a compare-and-swap on the table version the agent just read;
/// a conflict means re-read and re-decide, never overwrite. When the store is down, the agent keeps the last view and
/// nobody can join or be declared dead. This silo's own row only moves forward and is never written back to Active once
/// it is Dead.
/// <para>
/// The parts: <c>MembershipAgent.Join.cs</c> (join), <c>.OwnRow.cs</c> (I-am-alive, own status, leave,
/// self-termination), <c>.Probing.cs</c> (probe monitors), <c>.Voting.cs</c> (death votes), <c>.Log.cs</c>; the refresh
/// and store-failure reporting it shares with <see cref="MembershipClient"/> are in <see cref="MembershipRefresher"/>.
/// </para>
/// </remarks>
internal sealed partial class MembershipAgent : IClusterMembership, IMembershipNotificationSink, IAsyncDisposable
{
    private readonly IMembershipTable _table;
    private readonly string _siloName;
    private readonly IClusterTransport _transport;
    private readonly ClusterMembershipOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ISiloTerminator? _terminator;
    private readonly MembershipView _view;
    private readonly MembershipRefresher _refresher;
    private readonly LocalSiloHealthMonitor _health;
    private readonly MembershipMetrics? _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private int _status = (int)SiloStatus.Created;
    private int _terminated;
    private int _disposed;

    // The version that inserted this silo's row: every view at or after it must hold the row, or it was removed.
    private int _rowVersion = int.MaxValue;
    private Task _iAmAliveLoop = Task.CompletedTask;
    private Task _refreshLoop = Task.CompletedTask;

    /// <summary>The container's constructor: this silo is <see cref="ISiloStatus.SiloAddress"/>, named <see cref="SiloOptions.SiloName"/> (or the machine name).</summary>
    /// <param name="table">The cluster's membership table.</param>
    /// <param name="silo">This silo's identity.</param>
    /// <param name="siloOptions">This silo's name.</param>
    /// <param name="transport">Probes, membership notices to peers, and disconnection of dead silos.</param>
    /// <param name="options">Liveness options.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="lifetime">Stopped when the table says this silo is dead, unless a <paramref name="terminator"/> is registered.</param>
    /// <param name="terminator">Stops the process when the table says this silo is dead.</param>
    /// <param name="metrics">Counts views, status changes and failed probes.</param>
    public MembershipAgent(
        IMembershipTable table,
        ISiloStatus silo,
        IOptions<SiloOptions> siloOptions,
        IClusterTransport transport,
        IOptions<ClusterMembershipOptions> options,
        TimeProvider timeProvider,
        ILogger<MembershipAgent> logger,
        IHostApplicationLifetime? lifetime = null,
        ISiloTerminator? terminator = null,
        MembershipMetrics? metrics = null)
        : this(
            table,
            silo?.SiloAddress!,
            siloOptions?.Value.SiloName ?? Environment.MachineName,
            transport,
            options,
            timeProvider,
            logger,
            terminator ?? (lifetime is null ? null : new HostSiloTerminator(lifetime)),
            metrics)
    {
    }

    /// <param name="table">The cluster's membership table.</param>
    /// <param name="localSilo">This silo's address (its generation is this process's).</param>
    /// <param name="siloName">This silo's name for the table (in Kubernetes, the pod name).</param>
    /// <param name="transport">Probes, membership notices to peers, and disconnection of dead silos.</param>
    /// <param name="options">Liveness options.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">The logger.</param>
    /// <param name="terminator">Stops the process when the table says this silo is dead; without one (no host) the silo only stops probing and writing.</param>
    /// <param name="metrics">Counts views, status changes and failed probes.</param>
    internal MembershipAgent(
        IMembershipTable table,
        SiloAddress localSilo,
        string siloName,
        IClusterTransport transport,
        IOptions<ClusterMembershipOptions> options,
        TimeProvider timeProvider,
        ILogger<MembershipAgent> logger,
        ISiloTerminator? terminator,
        MembershipMetrics? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(localSilo);
        ArgumentNullException.ThrowIfNull(siloName);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _table = table;
        LocalSilo = localSilo;
        _siloName = siloName;
        _transport = transport;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _terminator = terminator;
        _metrics = metrics;
        _stoppingToken = _stopping.Token;
        _view = new MembershipView(table, logger, OnPublished, _stoppingToken, metrics);
        _refresher = new MembershipRefresher(_view, _options.RefreshPeriod, timeProvider, logger, silo: true, _stoppingToken);
        _health = new LocalSiloHealthMonitor(timeProvider, _options, HasProbeTargets, CountFreshVotesAgainstSelf);

        // The real transport reports connections that fail; a killed peer then gets probed at once.
        if (transport is ClusterTransport clusterTransport)
        {
            clusterTransport.ConnectionFailed += OnConnectionFailed;
        }
    }

    /// <inheritdoc />
    public event Action<MembershipSnapshot>? Changed
    {
        add => _view.Changed += value;
        remove => _view.Changed -= value;
    }

    /// <summary>This silo.</summary>
    public SiloAddress LocalSilo { get; }

    /// <summary>This silo's status as the agent knows it; only moves forward.</summary>
    public SiloStatus LocalStatus => (SiloStatus)Volatile.Read(ref _status);

    /// <summary>Whether the table declared this silo dead (or removed its row) and the process was told to stop.</summary>
    public bool IsTerminated => Volatile.Read(ref _terminated) != 0;

    /// <inheritdoc />
    public MembershipSnapshot Current => _view.Current;

    /// <inheritdoc />
    public Task RefreshAsync(int minVersion, CancellationToken cancellationToken) => _view.RefreshAsync(minVersion, cancellationToken);

    /// <summary>A peer says the table reached <paramref name="version"/>: refresh soon; concurrent notices share one read.</summary>
    public void OnPeerNotified(int version) => _refresher.OnPeerNotified(version);

    /// <summary>Stops every loop without writing to the table (see <see cref="LeaveAsync"/> for the graceful path).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_transport is ClusterTransport clusterTransport)
        {
            clusterTransport.ConnectionFailed -= OnConnectionFailed;
        }

        await StopLoopsAsync();
    }

    private bool TryAdvance(SiloStatus next) => SiloStatusTransitions.TryAdvance(ref _status, next);

    private async Task<T> RetryStoreAsync<T>(string operation, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var result = await action(cancellationToken);
                _refresher.ReportStoreSuccess();
                return result;
            }
            catch (Exception ex) when (ex is not MembershipJoinException && !cancellationToken.IsCancellationRequested)
            {
                var failures = _refresher.ReportStoreFailure(operation, ex);
                await Task.Delay(StoreFailureBackoff.GetRetryDelay(failures, _options.ProbePeriod * 5), _timeProvider, cancellationToken);
            }
        }
    }

    private void StartLoops()
    {
        _iAmAliveLoop = Task.Run(() => RunIAmAliveLoopAsync(_stoppingToken), CancellationToken.None);
        _refreshLoop = Task.Run(() => _refresher.RunRefreshLoopAsync(), CancellationToken.None);
        lock (_monitorLock)
        {
            _probing = true;
        }

        _health.Start();
        UpdateMonitors();
    }

    private async Task StopLoopsAsync()
    {
        StopProbing();
        _health.Dispose();
        await _stopping.CancelAsync();
        Task[] monitors;
        lock (_monitorLock)
        {
            monitors = [.. _stoppedMonitors];
            _stoppedMonitors.Clear();
        }

        await Task.WhenAll([_iAmAliveLoop, _refreshLoop, .. monitors]);
    }

    /// <summary>Refreshes to at least the version this silo just wrote and tells every peer about it.</summary>
    private async Task PublishAfterWriteAsync(int version)
    {
        try
        {
            await _view.RefreshAsync(version, _stoppingToken);
        }
        catch (Exception ex) when (!_stoppingToken.IsCancellationRequested)
        {
            // The refresh loop catches up; peers are told regardless since the write itself succeeded.
            _refresher.ReportStoreFailure("read the table after a write", ex);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        try
        {
            _transport.NotifyMembershipChanged(version);
        }
        catch (Exception ex)
        {
            Log.NotifyFailed(_logger, version, ex);
        }
    }

    private void OnPublished(MembershipSnapshot previous, MembershipSnapshot snapshot, bool newer)
    {
        if (IsTerminated)
        {
            return;
        }

        if (snapshot.TryGetEntry(LocalSilo, out var own))
        {
            if (own.Status == SiloStatus.Dead && LocalStatus != SiloStatus.Dead)
            {
                Terminate(DescribeDeath(own, snapshot.Version));
                return;
            }
        }
        else if (snapshot.Version >= Volatile.Read(ref _rowVersion) && LocalStatus != SiloStatus.Dead)
        {
            Terminate($"Silo {LocalSilo} has no row in membership version {snapshot.Version}; it was removed.");
            return;
        }

        _refresher.DisconnectNewlyDead(_transport, previous, snapshot, newer, LocalSilo);
        UpdateMonitors();
    }
}
