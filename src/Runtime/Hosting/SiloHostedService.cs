using Cluster.Runtime.Activation;
using Cluster.Runtime.Membership;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Hosting;

/// <summary>
/// Runs the silo inside the generic host. Start: Created → Joining → Active, then idle collection. Stop (SIGTERM
/// reaches it through the host) is the graceful protocol of orleans-runtime.md §0.10, in-process form:
/// ShuttingDown (readiness false; new calls get <see cref="SiloUnavailableException"/>) → running and queued calls
/// finish, bounded by <see cref="ClusterRuntimeOptions.DrainTimeout"/> → every activation is deactivated → Dead.
/// If the host's own stop deadline fires first, the silo goes to Stopping and deactivates without waiting further.
/// Once Active, the registered <see cref="ISiloStartupTask"/>s run in the background (<see cref="SiloWarmUp"/>); readiness
/// waits for them, the host's start does not.
/// </summary>
internal sealed partial class SiloHostedService : IHostedService, IDisposable
{
    private readonly LocalSiloStatus _status;
    private readonly ActivationCatalog _catalog;
    private readonly ActivationCollector _collector;
    private readonly ClusterRuntimeOptions _options;
    private readonly GrainCollectionOptions _collectionOptions;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ClusterSiloLifecycle? _cluster;
    private readonly IServiceProvider _services;
    private readonly CancellationTokenSource _stopping = new();
    private Task _collection = Task.CompletedTask;
    private SiloWarmUp? _warmUp;

    public SiloHostedService(
        LocalSiloStatus status,
        ActivationCatalog catalog,
        ActivationCollector collector,
        IOptions<ClusterRuntimeOptions> options,
        IOptions<GrainCollectionOptions> collectionOptions,
        TimeProvider timeProvider,
        ILogger<SiloHostedService> logger,
        IMembershipTable membershipTable,
        IServiceProvider services)
    {
        // The networked parts (listener, membership agent, transport) are built only when this silo can have peers.
        _cluster = membershipTable.IsShared ? services.GetRequiredService<ClusterSiloLifecycle>() : null;
        _status = status;
        _catalog = catalog;
        _collector = collector;
        _options = options.Value;
        _collectionOptions = collectionOptions.Value;
        _timeProvider = timeProvider;
        _logger = logger;
        _services = services;
    }

    /// <summary>The start-up tasks' run, once started (tests).</summary>
    internal SiloWarmUp? WarmUp => _warmUp;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Resolved here rather than in the constructor: start-up tasks use grains, built from much of the container.
        _warmUp = new SiloWarmUp(
            [.. _services.GetServices<ISiloStartupTask>()], _status, _options.StartupTaskTimeout, _timeProvider, _logger);
        _status.TryAdvance(SiloStatus.Joining);
        if (_cluster is not null)
        {
            // Joining: the listener opens, the row is written, every Active peer is probed, then the row turns Active.
            await _cluster.StartAsync(cancellationToken);
        }

        _warmUp.Prepare();
        if (!_status.TryAdvance(SiloStatus.Active))
        {
            throw new InvalidOperationException($"Silo {_status.SiloAddress} cannot start from status {_status.Status}.");
        }

        _collection = _collector.RunAsync(_stopping.Token);
        Log.SiloActive(_logger, _status.SiloAddress.ToString());

        // In the background: the host goes on to start the web server, so health checks answer during the warm-up.
        _warmUp.Start();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_status.Status is not (SiloStatus.Joining or SiloStatus.Active))
        {
            return;
        }

        // Start-up tasks are pointless on a silo that is leaving; they are cancelled (and abandoned if they ignore it).
        if (_warmUp is not null)
        {
            await _warmUp.StopAsync();
        }

        if (_cluster is not null)
        {
            // Publish ShuttingDown before refusing calls: peers and gateways stop placing grains here first, so the
            // calls this silo refuses afterwards are only those of callers with an older view, which retry elsewhere.
            try
            {
                await _cluster.ShutDownAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.PublishShuttingDownFailed(_logger, ex);
            }
        }

        if (!_status.TryAdvance(SiloStatus.ShuttingDown))
        {
            return;
        }

        Log.SiloShuttingDown(_logger, _status.SiloAddress.ToString(), _catalog.Count);
        await _stopping.CancelAsync();
        await _collection;

        try
        {
            await _catalog.WhenAllIdleAsync().WaitAsync(_options.DrainTimeout, _timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
            Log.DrainTimedOut(_logger, _options.DrainTimeout);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _status.TryAdvance(SiloStatus.Stopping);
            Log.StopDeadlinePassed(_logger);
        }

        // Turns still running get at most the deactivation timeout (or until the host's deadline) before their
        // activation's OnDeactivateAsync runs regardless.
        using var deadline = new CancellationTokenSource(_collectionOptions.DeactivationTimeout, _timeProvider);
        using var link = cancellationToken.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), deadline);
        await _catalog.DeactivateAllAsync(DeactivationReason.ShuttingDown, deadline.Token);

        if (_cluster is not null)
        {
            try
            {
                await _cluster.StopAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.LeaveFailed(_logger, ex);
            }
        }

        _status.TryAdvance(SiloStatus.Dead);
        Log.SiloDead(_logger, _status.SiloAddress.ToString());
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _warmUp?.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(4200, LogLevel.Information, "Silo {SiloAddress} is active.")]
        public static partial void SiloActive(ILogger logger, string siloAddress);

        [LoggerMessage(4201, LogLevel.Information, "Silo {SiloAddress} is shutting down with {ActivationCount} activations; new calls are refused.")]
        public static partial void SiloShuttingDown(ILogger logger, string siloAddress, int activationCount);

        [LoggerMessage(4202, LogLevel.Warning, "Calls were still running after the drain timeout of {DrainTimeout}; deactivating anyway. Raise Cluster:Runtime:DrainTimeout if this is expected.")]
        public static partial void DrainTimedOut(ILogger logger, TimeSpan drainTimeout);

        [LoggerMessage(4203, LogLevel.Warning, "The host's stop deadline passed while calls were draining; stopping without waiting further. Raise HostOptions.ShutdownTimeout above Cluster:Runtime:DrainTimeout.")]
        public static partial void StopDeadlinePassed(ILogger logger);

        [LoggerMessage(4204, LogLevel.Information, "Silo {SiloAddress} is dead.")]
        public static partial void SiloDead(ILogger logger, string siloAddress);

        [LoggerMessage(4205, LogLevel.Warning, "Publishing ShuttingDown to the membership table failed; peers learn of this silo's exit when it is declared dead.")]
        public static partial void PublishShuttingDownFailed(ILogger logger, Exception exception);

        [LoggerMessage(4206, LogLevel.Warning, "Leaving the membership table (writing Dead) failed; peers will vote this silo dead.")]
        public static partial void LeaveFailed(ILogger logger, Exception exception);
    }
}
