using Cluster.Runtime.Activation;
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
    private readonly CancellationTokenSource _stopping = new();
    private Task _collection = Task.CompletedTask;

    public SiloHostedService(
        LocalSiloStatus status,
        ActivationCatalog catalog,
        ActivationCollector collector,
        IOptions<ClusterRuntimeOptions> options,
        IOptions<GrainCollectionOptions> collectionOptions,
        TimeProvider timeProvider,
        ILogger<SiloHostedService> logger)
    {
        _status = status;
        _catalog = catalog;
        _collector = collector;
        _options = options.Value;
        _collectionOptions = collectionOptions.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _status.TryAdvance(SiloStatus.Joining);

        // The multi-silo form joins the membership table here; in-process there is nothing to join.
        if (!_status.TryAdvance(SiloStatus.Active))
        {
            throw new InvalidOperationException($"Silo {_status.SiloAddress} cannot start from status {_status.Status}.");
        }

        _collection = _collector.RunAsync(_stopping.Token);
        Log.SiloActive(_logger, _status.SiloAddress.ToString());
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
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

        _status.TryAdvance(SiloStatus.Dead);
        Log.SiloDead(_logger, _status.SiloAddress.ToString());
    }

    public void Dispose() => _stopping.Dispose();

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
    }
}
