using Cluster.Grains.Routing;
using Cluster.Runtime;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Membership;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Caching;

/// <summary>
/// Sends a leaving route grain's cached entries to the route's grain, which placement has moved to the new owner by the
/// time the old activation deactivates (<see cref="RouteCacheHandover"/>). Best effort and bounded: it never throws,
/// gives up after <see cref="RouteCacheHandoverOptions.HandoverTimeout"/>, and does not even try when no other silo is
/// Active in this silo's view (the last silo of a cluster shutting down would only wait for the timeout).
/// </summary>
internal sealed partial class RouteCacheHandoverSender
{
    /// <summary>
    /// The accounted bytes (<see cref="RouteCacheEntry.Size"/>) of one hand-over message at most, unless a single entry
    /// is larger: well inside the transport's default 16 MiB frame, so a route with many entries goes in several calls.
    /// </summary>
    public const long BatchBytes = 4 * 1024 * 1024;

    private readonly IGrainFactory _grains;
    private readonly IClusterMembership? _membership;
    private readonly ISiloStatus? _silo;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;

    public RouteCacheHandoverSender(
        IGrainFactory grains,
        IOptions<RouteCacheHandoverOptions> options,
        ILogger<RouteCacheHandoverSender> logger,
        IClusterMembership? membership = null,
        ISiloStatus? silo = null)
    {
        _grains = grains;
        _timeout = options.Value.HandoverTimeout;
        _logger = logger;
        _membership = membership;
        _silo = silo;
    }

    /// <summary>
    /// Sends <paramref name="entries"/> of the route <paramref name="pattern"/>, with their times as of
    /// <paramref name="now"/> (the route cache's clock). Returns how many the new owner installed, or -1 when the
    /// hand-over did not happen or stopped part-way (logged at Debug: the new owner renders those paths again). The
    /// token is the deactivation's deadline; the hand-over also stops at its own timeout.
    /// </summary>
    public async Task<int> SendAsync(
        string pattern, IReadOnlyList<KeyValuePair<string, RouteCacheEntry>> entries, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return 0;
        }

        if (!AnotherSiloIsActive())
        {
            Log.NoOtherSilo(_logger, pattern, entries.Count);
            return -1;
        }

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(_timeout);
        var grain = _grains.GetRouteGrain(pattern).Grain;
        var installed = 0;
        var sent = 0;
        try
        {
            foreach (var batch in Batches(entries, now))
            {
                var result = await grain.InvokeAsync<RouteCacheHandover, RouteCacheHandoverResult>(batch, budget.Token);
                installed += result.Installed;
                sent += batch.Entries.Count;
            }
        }
        catch (Exception ex)
        {
            // No silo takes the route (it moved nowhere yet), the time ran out, the connection was lost: expected while
            // a cluster changes, and the route only starts cold on its new owner. Anything else (e.g. the message is not
            // registered on this silo) is a fault someone should see.
            var level = ex is SiloUnavailableException or SiloConnectionLostException or OperationCanceledException or TimeoutException
                ? LogLevel.Debug
                : LogLevel.Warning;
            Log.HandoverFailed(_logger, level, pattern, sent, entries.Count, ex);
            return -1;
        }

        Log.HandedOver(_logger, pattern, entries.Count, installed);
        return installed;
    }

    /// <summary>The entries in messages of at most <see cref="BatchBytes"/> (one entry at least) and <see cref="Wire.RouteCacheHandoverCodec.MaxEntries"/>.</summary>
    internal static IEnumerable<RouteCacheHandover> Batches(IReadOnlyList<KeyValuePair<string, RouteCacheEntry>> entries, DateTimeOffset now)
    {
        var batch = new List<RouteCacheHandoverEntry>();
        long bytes = 0;
        foreach (var (path, entry) in entries)
        {
            var size = entry.Size;
            if (batch.Count > 0 && (bytes + size > BatchBytes || batch.Count == Wire.RouteCacheHandoverCodec.MaxEntries))
            {
                yield return new RouteCacheHandover { Entries = batch };
                batch = [];
                bytes = 0;
            }

            batch.Add(RouteCacheHandoverEntry.From(path, entry, now));
            bytes += size;
        }

        if (batch.Count > 0)
        {
            yield return new RouteCacheHandover { Entries = batch };
        }
    }

    private bool AnotherSiloIsActive()
    {
        if (_membership is null)
        {
            // No view to check (not a silo of a networked cluster): try, bounded by the timeout.
            return true;
        }

        var self = _silo?.SiloAddress;
        foreach (var silo in _membership.Current.ActiveSilos)
        {
            if (!silo.Equals(self))
            {
                return true;
            }
        }

        return false;
    }

    private static partial class Log
    {
        [LoggerMessage(4544, LogLevel.Debug, "Route {RoutePattern} handed its {EntryCount} cached entries over to its new owner, which installed {Installed}.")]
        public static partial void HandedOver(ILogger logger, string routePattern, int entryCount, int installed);

        [LoggerMessage(EventId = 4545, Message = "Route {RoutePattern} could not hand its cached entries over ({Sent} of {EntryCount} sent); its new owner renders them again.")]
        public static partial void HandoverFailed(ILogger logger, LogLevel level, string routePattern, int sent, int entryCount, Exception exception);

        [LoggerMessage(4546, LogLevel.Debug, "Route {RoutePattern} drops its {EntryCount} cached entries without a hand-over: no other silo is active.")]
        public static partial void NoOtherSilo(ILogger logger, string routePattern, int entryCount);
    }
}
