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
/// </remarks>
internal sealed partial class MembershipAgent : IClusterMembership, IMembershipNotificationSink, IAsyncDisposable
{
    // Conflicts in a row before a vote is given up until the next missed probe (each conflict means progress elsewhere).
    private const int MaxVoteAttempts = 5;

    private readonly IMembershipTable _table;
    private readonly string _siloName;
    private readonly IClusterTransport _transport;
    private readonly ClusterMembershipOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ISiloTerminator? _terminator;
    private readonly MembershipView _view;
    private readonly StoreFailureBackoff _storeFailures = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private readonly SemaphoreSlim _voteLock = new(1, 1);
    private readonly Lock _monitorLock = new();
    private readonly Dictionary<SiloAddress, SiloProbeMonitor> _monitors = [];
    private int _status = (int)SiloStatus.Created;
    private int _joinStarted;
    private int _terminated;
    private int _disposed;
    private bool _probing;

    // The version that inserted this silo's row: every view at or after it must hold the row, or it was removed.
    private int _rowVersion = int.MaxValue;
    private Task _iAmAliveLoop = Task.CompletedTask;
    private Task _refreshLoop = Task.CompletedTask;

    // Monitors stopped but maybe still finishing a probe or a vote; awaited when the agent stops. Pruned as they end.
    private readonly List<Task> _stoppedMonitors = [];
    private string _unreachable = string.Empty;

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
    public MembershipAgent(
        IMembershipTable table,
        ISiloStatus silo,
        IOptions<SiloOptions> siloOptions,
        IClusterTransport transport,
        IOptions<ClusterMembershipOptions> options,
        TimeProvider timeProvider,
        ILogger<MembershipAgent> logger,
        IHostApplicationLifetime? lifetime = null,
        ISiloTerminator? terminator = null)
        : this(
            table,
            silo?.SiloAddress!,
            siloOptions?.Value.SiloName ?? Environment.MachineName,
            transport,
            options,
            timeProvider,
            logger,
            terminator ?? (lifetime is null ? null : new HostSiloTerminator(lifetime)))
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
    internal MembershipAgent(
        IMembershipTable table,
        SiloAddress localSilo,
        string siloName,
        IClusterTransport transport,
        IOptions<ClusterMembershipOptions> options,
        TimeProvider timeProvider,
        ILogger<MembershipAgent> logger,
        ISiloTerminator? terminator)
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
        _stoppingToken = _stopping.Token;
        _view = new MembershipView(table, logger, OnPublished, _stoppingToken);

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

    /// <inheritdoc />
    public Task RefreshAsync(int minVersion, CancellationToken cancellationToken) => _view.RefreshAsync(minVersion, cancellationToken);

    /// <summary>
    /// Joins the cluster: initializes the table; declares older generations on this endpoint dead (and fails if a newer
    /// one exists); inserts this silo as Joining; probes every active, non-stale silo until all answer; writes itself
    /// Active and tells its peers. The background loops (I-am-alive, refresh, probing) start once the row exists. The
    /// whole join is bounded by <see cref="ClusterMembershipOptions.MaxJoinAttemptTime"/>.
    /// </summary>
    /// <exception cref="MembershipJoinException">The silo must not serve (see the exception); its row, if written, is left Dead.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired.</exception>
    public async Task JoinAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _joinStarted, 1) != 0)
        {
            throw new InvalidOperationException($"Silo {LocalSilo} has already joined or tried to; a new attempt needs a new silo (generation).");
        }

        Log.Joining(_logger, LocalSilo.ToString());
        using var deadline = new CancellationTokenSource(_options.MaxJoinAttemptTime, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token, _stoppingToken);
        var token = linked.Token;
        try
        {
            await RetryStoreAsync(
                "initialize the table",
                async ct =>
                {
                    await _table.InitializeAsync(ct);
                    return true;
                },
                token);
            await RetryStoreAsync("clean up this endpoint", CleanUpEndpointAsync, token);
            await RetryStoreAsync("insert this silo's row", InsertRowAsync, token);
            StartLoops();
            await ValidateConnectivityAsync(token);
            await RetryStoreAsync("write this silo Active", BecomeActiveAsync, token);
        }
        catch (Exception ex)
        {
            await AbandonJoinAsync();
            if (ex is MembershipJoinException)
            {
                throw;
            }

            if (IsTerminated)
            {
                throw new MembershipJoinException($"Silo {LocalSilo} was declared dead while joining.", ex);
            }

            if (ex is OperationCanceledException && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // A silo that cannot reach its peers must not join one side of a partition.
                var unreachable = Volatile.Read(ref _unreachable);
                throw new MembershipJoinException(
                    $"Silo {LocalSilo} did not join within {ClusterMembershipOptions.SectionName}:{nameof(ClusterMembershipOptions.MaxJoinAttemptTime)} ({_options.MaxJoinAttemptTime})"
                    + (unreachable.Length > 0 ? $": {unreachable} did not answer probes." : "."),
                    ex);
            }

            throw;
        }

        Log.Active(_logger, LocalSilo.ToString(), _view.Current.Version);
    }

    /// <summary>
    /// Graceful stop, first step: writes this silo ShuttingDown (others stop placing work here) and tells its peers.
    /// Probing stops (only joining and active silos probe); the view keeps refreshing until <see cref="LeaveAsync"/>.
    /// </summary>
    public async Task ShutDownAsync(CancellationToken cancellationToken)
    {
        if (IsTerminated || !TryAdvance(SiloStatus.ShuttingDown))
        {
            return;
        }

        StopProbing();
        if (Volatile.Read(ref _rowVersion) != int.MaxValue)
        {
            await RetryStoreAsync("write this silo ShuttingDown", ct => WriteOwnStatusAsync(SiloStatus.ShuttingDown, ct), cancellationToken);
        }

        Log.ShuttingDown(_logger, LocalSilo.ToString());
    }

    /// <summary>
    /// Graceful stop, last step: writes this silo Dead, tells its peers and stops every loop. Nothing is written if the
    /// table already declared this silo dead.
    /// </summary>
    public async Task LeaveAsync(CancellationToken cancellationToken)
    {
        var wasTerminated = IsTerminated;
        TryAdvance(SiloStatus.Dead);
        StopProbing();
        try
        {
            if (!wasTerminated && Volatile.Read(ref _rowVersion) != int.MaxValue)
            {
                await RetryStoreAsync("write this silo Dead", ct => WriteOwnStatusAsync(SiloStatus.Dead, ct), cancellationToken);
                Log.Left(_logger, LocalSilo.ToString());
            }
        }
        finally
        {
            await StopLoopsAsync();
        }
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

    private bool CanVote => !IsTerminated && LocalStatus is SiloStatus.Joining or SiloStatus.Active;

    private bool TryAdvance(SiloStatus next)
    {
        while (true)
        {
            var current = Volatile.Read(ref _status);
            if ((int)next <= current)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _status, (int)next, current) == current)
            {
                return true;
            }
        }
    }

    private async Task<bool> CleanUpEndpointAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var data = await _view.ReadAsync(cancellationToken);
            (MembershipEntry Entry, string ETag)? older = null;
            foreach (var row in data.Entries)
            {
                var address = row.Entry.SiloAddress;
                if (row.Entry.Status == SiloStatus.Dead || !address.IsSameEndpoint(LocalSilo))
                {
                    continue;
                }

                if (address.Generation >= LocalSilo.Generation)
                {
                    Log.NewerGenerationExists(_logger, LocalSilo.ToString(), address.ToString(), row.Entry.Status);
                    throw new MembershipJoinException(
                        $"Silo {address} ({row.Entry.Status}) is registered on this silo's endpoint with a generation not older than "
                        + $"this process's ({LocalSilo}): this process is the stale one and must not join.");
                }

                older ??= row;
            }

            if (older is not { } stale)
            {
                return true;
            }

            // An older generation on my endpoint is a previous incarnation of this process (restart): it cannot be alive.
            // This silo signs the death like a vote, so peers treat it as a failure (drop its connections) and not as a
            // graceful exit.
            var next = data.Version.Next();
            var dead = stale.Entry with
            {
                Status = SiloStatus.Dead,
                SuspectTimes = stale.Entry.SuspectTimes.Add(new SuspectVote(LocalSilo, _timeProvider.GetUtcNow())),
            };
            if (await _table.UpdateRowAsync(dead, stale.ETag, next, cancellationToken))
            {
                Log.OlderGenerationDeclaredDead(_logger, stale.Entry.SiloAddress.ToString(), stale.Entry.SiloName, LocalSilo.ToString());
                await PublishAfterWriteAsync(next.Version);
            }
        }
    }

    private async Task<bool> InsertRowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var data = await _view.ReadAsync(cancellationToken);
            foreach (var row in data.Entries)
            {
                if (row.Entry.SiloAddress.Equals(LocalSilo))
                {
                    // An earlier attempt's insert committed although its answer was lost.
                    if (row.Entry.Status != SiloStatus.Joining)
                    {
                        throw new MembershipJoinException($"Silo {LocalSilo} already has a {row.Entry.Status} row; it cannot join again.");
                    }

                    OnRowInserted(data.Version.Version);
                    return true;
                }
            }

            var now = _timeProvider.GetUtcNow();
            var entry = new MembershipEntry
            {
                SiloAddress = LocalSilo,
                Status = SiloStatus.Joining,
                SiloName = _siloName,
                HostName = Environment.MachineName,
                StartTime = now,
                IAmAliveTime = now,
            };
            var next = data.Version.Next();
            if (await _table.InsertRowAsync(entry, next, cancellationToken))
            {
                OnRowInserted(next.Version);
                await PublishAfterWriteAsync(next.Version);
                return true;
            }
        }
    }

    private void OnRowInserted(int version)
    {
        TryAdvance(SiloStatus.Joining);
        Volatile.Write(ref _rowVersion, version);
    }

    private async Task ValidateConnectivityAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _view.ReadAsync(cancellationToken);
                _storeFailures.RecordSuccess();
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The last view is still good enough to probe from.
                ReportStoreFailure("read the table to validate connectivity", ex);
            }

            var now = _timeProvider.GetUtcNow();
            var targets = new List<SiloAddress>();
            foreach (var entry in _view.Current.Entries)
            {
                // Stale rows are left to the probers (votes); requiring them would block a whole-cluster restart.
                if (entry.Status == SiloStatus.Active && !entry.SiloAddress.Equals(LocalSilo) && !entry.IsStale(now, _options))
                {
                    targets.Add(entry.SiloAddress);
                }
            }

            if (targets.Count == 0)
            {
                return;
            }

            var probes = new Task<bool>[targets.Count];
            for (var i = 0; i < probes.Length; i++)
            {
                probes[i] = ProbeOnceAsync(targets[i], cancellationToken);
            }

            var results = await Task.WhenAll(probes);
            var failed = new List<SiloAddress>();
            for (var i = 0; i < results.Length; i++)
            {
                if (!results[i])
                {
                    failed.Add(targets[i]);
                }
            }

            if (failed.Count == 0)
            {
                Log.ConnectivityValidated(_logger, LocalSilo.ToString(), targets.Count);
                return;
            }

            var unreachable = string.Join(", ", failed);
            Volatile.Write(ref _unreachable, unreachable);
            Log.ConnectivityFailed(_logger, LocalSilo.ToString(), unreachable, attempt);
            await Task.Delay(_options.ProbePeriod, _timeProvider, cancellationToken);
        }
    }

    private async Task<bool> ProbeOnceAsync(SiloAddress target, CancellationToken cancellationToken)
    {
        try
        {
            return await _transport.ProbeAsync(target, _options.ProbeTimeout, cancellationToken)
                .WaitAsync(_options.ProbeTimeout + _options.ProbeTimeout, _timeProvider, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Log.JoinProbeFailed(_logger, target.ToString(), ex);
            return false;
        }
    }

    private async Task<bool> BecomeActiveAsync(CancellationToken cancellationToken)
    {
        if (!await WriteOwnStatusAsync(SiloStatus.Active, cancellationToken))
        {
            throw new MembershipJoinException($"Silo {LocalSilo} was declared dead while joining.");
        }

        TryAdvance(SiloStatus.Active);
        UpdateMonitors();
        return true;
    }

    /// <summary>
    /// Moves this silo's row forward to <paramref name="status"/> by compare-and-swap. Returns false if the row is Dead
    /// (someone declared this silo dead) or gone; true once the row is at or past <paramref name="status"/>.
    /// </summary>
    private async Task<bool> WriteOwnStatusAsync(SiloStatus status, CancellationToken cancellationToken)
    {
        while (true)
        {
            // The check right before the write: a silo the table declared dead never writes itself back.
            if (IsTerminated && status != SiloStatus.Dead)
            {
                return false;
            }

            var data = await _table.ReadRowAsync(LocalSilo, cancellationToken);
            if (data.Entries.IsDefaultOrEmpty)
            {
                if (status != SiloStatus.Dead)
                {
                    Terminate($"Silo {LocalSilo} has no row in the membership table (version {data.Version.Version}); it was removed.");
                }

                return false;
            }

            var (entry, etag) = data.Entries[0];
            if (entry.Status == SiloStatus.Dead)
            {
                if (status != SiloStatus.Dead)
                {
                    Terminate(DescribeDeath(entry, data.Version.Version));
                }

                return status == SiloStatus.Dead;
            }

            if (entry.Status >= status)
            {
                return true;
            }

            var next = data.Version.Next();
            if (await _table.UpdateRowAsync(entry with { Status = status }, etag, next, cancellationToken))
            {
                Log.OwnStatusWritten(_logger, LocalSilo.ToString(), status, next.Version);
                await PublishAfterWriteAsync(next.Version);
                return true;
            }
        }
    }

    private async Task AbandonJoinAsync()
    {
        TryAdvance(SiloStatus.Dead);
        StopProbing();

        // Best effort: a row left Joining would otherwise wait to go stale before others vote it out.
        if (!IsTerminated && Volatile.Read(ref _rowVersion) != int.MaxValue)
        {
            using var timeout = new CancellationTokenSource(_options.ProbeTimeout + _options.ProbeTimeout, _timeProvider);
            try
            {
                await WriteOwnStatusAsync(SiloStatus.Dead, timeout.Token);
            }
            catch (Exception ex)
            {
                Log.AbandonWriteFailed(_logger, LocalSilo.ToString(), ex);
            }
        }

        await StopLoopsAsync();
    }

    private async Task<T> RetryStoreAsync<T>(string operation, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var result = await action(cancellationToken);
                ReportStoreSuccess();
                return result;
            }
            catch (Exception ex) when (ex is not MembershipJoinException && !cancellationToken.IsCancellationRequested)
            {
                var failures = ReportStoreFailure(operation, ex);
                await Task.Delay(StoreFailureBackoff.GetRetryDelay(failures, _options.ProbePeriod * 5), _timeProvider, cancellationToken);
            }
        }
    }

    private int ReportStoreFailure(string operation, Exception exception)
    {
        var failures = _storeFailures.RecordFailure();
        if (StoreFailureBackoff.ShouldWarn(failures))
        {
            Log.StoreFailed(_logger, operation, failures, exception);
        }
        else
        {
            Log.StoreFailedAgain(_logger, operation, failures, exception);
        }

        return failures;
    }

    private void ReportStoreSuccess()
    {
        var ended = _storeFailures.RecordSuccess();
        if (ended > 0)
        {
            Log.StoreRecovered(_logger, ended);
        }
    }

    private void StartLoops()
    {
        _iAmAliveLoop = Task.Run(() => RunIAmAliveLoopAsync(_stoppingToken), CancellationToken.None);
        _refreshLoop = Task.Run(() => RunRefreshLoopAsync(_stoppingToken), CancellationToken.None);
        lock (_monitorLock)
        {
            _probing = true;
        }

        UpdateMonitors();
    }

    private async Task StopLoopsAsync()
    {
        StopProbing();
        await _stopping.CancelAsync();
        Task[] monitors;
        lock (_monitorLock)
        {
            monitors = [.. _stoppedMonitors];
            _stoppedMonitors.Clear();
        }

        await Task.WhenAll([_iAmAliveLoop, _refreshLoop, .. monitors]);
    }

    private async Task RunIAmAliveLoopAsync(CancellationToken cancellationToken)
    {
        var failures = 0;

        // The insert wrote the first I-am-alive time; jitter spreads the writes of silos that started together.
        var delay = _options.IAmAlivePeriod * (0.5 + (Random.Shared.NextDouble() / 2));
        try
        {
            while (true)
            {
                await Task.Delay(delay, _timeProvider, cancellationToken);
                try
                {
                    await _table.UpdateIAmAliveAsync(LocalSilo, _timeProvider.GetUtcNow(), cancellationToken);
                    failures = 0;
                    ReportStoreSuccess();
                    delay = _options.IAmAlivePeriod;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failures++;
                    ReportStoreFailure("write I-am-alive", ex);
                    delay = StoreFailureBackoff.GetRetryDelay(failures, _options.IAmAlivePeriod);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped.
        }
    }

    private async Task RunRefreshLoopAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        try
        {
            while (true)
            {
                // ±10 % so the silos of a cluster do not all read the table at the same moment.
                var delay = failures == 0
                    ? _options.RefreshPeriod * (0.9 + (Random.Shared.NextDouble() / 5))
                    : StoreFailureBackoff.GetRetryDelay(failures, _options.RefreshPeriod);
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

    private async Task RefreshForNoticeAsync(int version)
    {
        try
        {
            await _view.RefreshAsync(version, _stoppingToken);
            ReportStoreSuccess();
        }
        catch (OperationCanceledException) when (_stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            ReportStoreFailure("refresh after a peer's notice", ex);
        }
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
            ReportStoreFailure("read the table after a write", ex);
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

        // The first view has nothing to compare with, and this process has no connections yet.
        if (newer && previous.Version > 0)
        {
            foreach (var entry in snapshot.Entries)
            {
                if (entry.Status == SiloStatus.Dead && previous.GetStatus(entry.SiloAddress) != SiloStatus.Dead
                    && !entry.SiloAddress.Equals(LocalSilo) && !entry.LeftGracefully())
                {
                    Log.PeerDead(_logger, entry.SiloAddress.ToString(), snapshot.Version);
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

        UpdateMonitors();
    }

    private string DescribeDeath(MembershipEntry own, int version)
    {
        var voters = string.Join(", ", own.SuspectTimes.Select(static vote => vote.Voter.ToString()));
        return voters.Length == 0
            ? $"Silo {LocalSilo} is Dead in membership version {version}."
            : $"Silo {LocalSilo} is Dead in membership version {version} (votes from {voters}).";
    }

    /// <summary>
    /// Self-termination: the table says this silo is dead, so the cluster has moved its work elsewhere. Stop probing and
    /// writing at once, and stop the process; the row is never written again.
    /// </summary>
    private void Terminate(string reason)
    {
        if (Interlocked.Exchange(ref _terminated, 1) != 0)
        {
            return;
        }

        TryAdvance(SiloStatus.Dead);
        Log.SelfTerminating(_logger, LocalSilo.ToString(), reason);
        StopProbing();

        // Off this thread: it may be a table read's continuation or a Changed handler, and stopping runs callbacks.
        _ = Task.Run(
            async () =>
            {
                await _stopping.CancelAsync();
                if (_terminator is null)
                {
                    Log.NoTerminator(_logger, LocalSilo.ToString());
                    return;
                }

                try
                {
                    _terminator.Terminate(reason);
                }
                catch (Exception ex)
                {
                    Log.TerminatorFailed(_logger, ex);
                }
            },
            CancellationToken.None);
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
                    _monitors.Add(target, new SiloProbeMonitor(target, _transport, _options, _timeProvider, OnMissedLimitAsync, _logger, _stoppingToken));
                }
            }
        }
    }

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

    private async Task OnMissedLimitAsync(SiloAddress target, int failures)
    {
        // The vote runs on the agent's token, not the monitor's: a view published mid-vote may stop this monitor (the
        // target just died) and the peers must still be told.
        await _voteLock.WaitAsync(_stoppingToken);
        try
        {
            await TrySuspectOrKillAsync(target, failures);
        }
        finally
        {
            _voteLock.Release();
        }
    }

    private async Task TrySuspectOrKillAsync(SiloAddress target, int failures)
    {
        try
        {
            for (var attempt = 0; attempt < MaxVoteAttempts; attempt++)
            {
                if (!CanVote)
                {
                    return;
                }

                var data = await _view.ReadAsync(_stoppingToken);
                ReportStoreSuccess();

                // The read may have shown this silo dead (it then stopped) or the target already gone.
                if (!CanVote)
                {
                    return;
                }

                (MembershipEntry Entry, string ETag)? found = null;
                foreach (var row in data.Entries)
                {
                    if (row.Entry.SiloAddress.Equals(target))
                    {
                        found = row;
                        break;
                    }
                }

                if (found is not { } targetRow || targetRow.Entry.Status == SiloStatus.Dead)
                {
                    return;
                }

                var now = _timeProvider.GetUtcNow();
                var required = DeathVoting.GetRequiredVotes(data.Entries.Select(static row => row.Entry), now, _options);
                var decision = DeathVoting.Decide(targetRow.Entry, LocalSilo, required, now, _options);
                if (decision.Outcome == VoteOutcome.AlreadyVoted)
                {
                    return;
                }

                var next = data.Version.Next();
                if (await _table.UpdateRowAsync(decision.Entry!, targetRow.ETag, next, _stoppingToken))
                {
                    if (decision.Outcome == VoteOutcome.DeclareDead)
                    {
                        Log.DeclaredDead(_logger, target.ToString(), failures, decision.FreshVotes, decision.RequiredVotes, next.Version);
                    }
                    else
                    {
                        Log.Voted(_logger, target.ToString(), failures, decision.FreshVotes, decision.RequiredVotes, next.Version);
                    }

                    await PublishAfterWriteAsync(next.Version);
                    return;
                }

                Log.VoteConflict(_logger, target.ToString(), next.Version);
            }
        }
        catch (OperationCanceledException) when (_stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            // The store is down: nobody can be declared dead until it is back (safety over liveness).
            ReportStoreFailure($"vote against silo {target}", ex);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4300, LogLevel.Information, "Silo {Silo} is joining the cluster.")]
        public static partial void Joining(ILogger logger, string silo);

        [LoggerMessage(4301, LogLevel.Information, "Silo {Silo} is Active in the cluster (membership version {Version}).")]
        public static partial void Active(ILogger logger, string silo, int version);

        [LoggerMessage(4302, LogLevel.Error, "Silo {Silo} is a stale process: {Newer} ({Status}) is a newer generation on the same endpoint. It will not join.")]
        public static partial void NewerGenerationExists(ILogger logger, string silo, string newer, SiloStatus status);

        [LoggerMessage(4303, LogLevel.Information, "Declared {Old} (named '{SiloName}') Dead: it is an older generation on the endpoint of {Silo}, which restarted.")]
        public static partial void OlderGenerationDeclaredDead(ILogger logger, string old, string siloName, string silo);

        [LoggerMessage(4304, LogLevel.Information, "Silo {Silo} reached every active silo ({Count}).")]
        public static partial void ConnectivityValidated(ILogger logger, string silo, int count);

        [LoggerMessage(4305, LogLevel.Warning, "Silo {Silo} cannot reach {Unreachable} (attempt {Attempt}); retrying until the join budget runs out.")]
        public static partial void ConnectivityFailed(ILogger logger, string silo, string unreachable, int attempt);

        [LoggerMessage(4306, LogLevel.Debug, "A join probe of {Target} threw; it counts as unreachable.")]
        public static partial void JoinProbeFailed(ILogger logger, string target, Exception exception);

        [LoggerMessage(4307, LogLevel.Information, "Silo {Silo} wrote itself {Status} (membership version {Version}).")]
        public static partial void OwnStatusWritten(ILogger logger, string silo, SiloStatus status, int version);

        [LoggerMessage(4308, LogLevel.Information, "Silo {Silo} is shutting down.")]
        public static partial void ShuttingDown(ILogger logger, string silo);

        [LoggerMessage(4309, LogLevel.Information, "Silo {Silo} left the cluster.")]
        public static partial void Left(ILogger logger, string silo);

        [LoggerMessage(4310, LogLevel.Warning, "Could not write {Silo} Dead after a failed join; others will vote it out once it is stale.")]
        public static partial void AbandonWriteFailed(ILogger logger, string silo, Exception exception);

        [LoggerMessage(4311, LogLevel.Warning, "The membership store failed to {Operation} ({Failures} failures in a row); serving on the last view and retrying.")]
        public static partial void StoreFailed(ILogger logger, string operation, int failures, Exception exception);

        [LoggerMessage(4312, LogLevel.Debug, "The membership store failed to {Operation} ({Failures} failures in a row).")]
        public static partial void StoreFailedAgain(ILogger logger, string operation, int failures, Exception exception);

        [LoggerMessage(4313, LogLevel.Information, "The membership store answers again after {Failures} failures.")]
        public static partial void StoreRecovered(ILogger logger, int failures);

        [LoggerMessage(4314, LogLevel.Warning, "Telling peers about membership version {Version} failed; they catch up on their next refresh.")]
        public static partial void NotifyFailed(ILogger logger, int version, Exception exception);

        [LoggerMessage(4315, LogLevel.Warning, "Silo {Silo} is Dead in membership version {Version}; its connection is closed and its calls fail now.")]
        public static partial void PeerDead(ILogger logger, string silo, int version);

        [LoggerMessage(4316, LogLevel.Error, "Disconnecting dead silo {Silo} failed.")]
        public static partial void DisconnectFailed(ILogger logger, string silo, Exception exception);

        [LoggerMessage(4317, LogLevel.Critical, "Silo {Silo} has been declared dead by the cluster and stops now: {Reason}")]
        public static partial void SelfTerminating(ILogger logger, string silo, string reason);

        [LoggerMessage(4318, LogLevel.Error, "Stopping the process after self-termination failed.")]
        public static partial void TerminatorFailed(ILogger logger, Exception exception);

        [LoggerMessage(4322, LogLevel.Error, "Silo {Silo} is dead but has no host to stop; it no longer probes or writes, but keeps its process.")]
        public static partial void NoTerminator(ILogger logger, string silo);

        [LoggerMessage(4319, LogLevel.Warning, "Declared silo {Target} Dead after {Failures} missed probes ({Votes} of {Required} votes; membership version {Version}).")]
        public static partial void DeclaredDead(ILogger logger, string target, int failures, int votes, int required, int version);

        [LoggerMessage(4320, LogLevel.Warning, "Voted silo {Target} dead after {Failures} missed probes ({Votes} of {Required} votes; membership version {Version}).")]
        public static partial void Voted(ILogger logger, string target, int failures, int votes, int required, int version);

        [LoggerMessage(4321, LogLevel.Debug, "A vote against {Target} lost the race for membership version {Version}; re-reading.")]
        public static partial void VoteConflict(ILogger logger, string target, int version);
    }
}
