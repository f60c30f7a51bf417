using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Activation;

/// <summary>
/// Deactivates activations idle for longer than <see cref="GrainCollectionOptions.CollectionAge"/>, scanning every
/// <see cref="GrainCollectionOptions.CollectionQuantum"/>. Orleans keeps time-bucketed tickets to avoid scanning; a
/// silo here holds one activation per route pattern (hundreds, not millions; a stateless-worker route adds at most one
/// per core), so a full scan each quantum is cheaper to get right and costs microseconds. Stateless workers are
/// collected like any activation, one by one, so an idle pool shrinks to nothing while a busy one keeps its workers. The idle check and the switch to deactivating happen atomically per
/// activation, so a request that arrives meanwhile keeps it alive.
/// </summary>
internal sealed partial class ActivationCollector
{
    private readonly ActivationCatalog _catalog;
    private readonly GrainCollectionOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public ActivationCollector(ActivationCatalog catalog, IOptions<GrainCollectionOptions> options, TimeProvider timeProvider, ILogger<ActivationCollector> logger)
    {
        _catalog = catalog;
        _options = options.Value;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Deactivates every activation idle for at least the collection age; returns how many.</summary>
    public async Task<int> CollectIdleAsync()
    {
        var now = _timeProvider.GetTimestamp();
        var age = (long)(_options.CollectionAge.Ticks * (_timeProvider.TimestampFrequency / (double)TimeSpan.TicksPerSecond));
        List<Task>? deactivations = null;
        foreach (var activation in _catalog.Activations)
        {
            if (activation.TryBeginCollection(now, age))
            {
                (deactivations ??= []).Add(activation.Deactivation);
            }
        }

        if (deactivations is null)
        {
            return 0;
        }

        await Task.WhenAll(deactivations);
        Log.Collected(_logger, deactivations.Count);
        return deactivations.Count;
    }

    /// <summary>Collects every quantum until <paramref name="cancellationToken"/> fires.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.CollectionQuantum, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await CollectIdleAsync();
                }
                catch (Exception ex)
                {
                    Log.CollectionFailed(_logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4100, LogLevel.Debug, "Collected {Count} idle activations.")]
        public static partial void Collected(ILogger logger, int count);

        [LoggerMessage(4101, LogLevel.Error, "Collecting idle activations failed; the next quantum tries again.")]
        public static partial void CollectionFailed(ILogger logger, Exception exception);
    }
}
