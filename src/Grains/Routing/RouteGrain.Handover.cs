using Cluster.Grains.Caching;
using Cluster.Runtime;
using Cluster.Runtime.Membership;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Routing;

// The cache survives a move: an activation that leaves because its route moved (or its silo drains) sends its entries
// to the route's next owner, and the next owner installs those it has nothing newer for.
internal partial class RouteGrain : IGrainHandler<RouteCacheHandover, RouteCacheHandoverResult>
{
    private static readonly RouteCacheHandoverResult s_nothingInstalled = new();

    /// <summary>
    /// When the route moves (<see cref="DeactivationReason.OwnerChanged"/>) or the silo drains
    /// (<see cref="DeactivationReason.ShuttingDown"/>), hands the route's cached entries to its grain — which placement
    /// has put on the next owner by now — within <c>Cluster:Cache:HandoverTimeout</c>, then drops them here and waits
    /// until every gateway dropped its copies, hand-over or not: no copy outlives the owner that made it. Other reasons
    /// (idle collection) keep the entries for this silo's next activation of the route.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (!IsCacheable)
        {
            return;
        }

        if (reason is not (DeactivationReason.OwnerChanged or DeactivationReason.ShuttingDown))
        {
            // Still the owner (idle collection, or the app asked): the entries stay for the next activation here.
            Store.Park(GrainId.Key, CurrentViewVersion());
            return;
        }

        var pattern = GrainId.Key;
        var entries = Store.EntriesOf(pattern);
        if (entries.Count == 0)
        {
            return;
        }

        if (_services.GetService<RouteCacheHandoverSender>() is { } sender)
        {
            // Never throws: a failed hand-over only means the next owner renders these paths again.
            await sender.SendAsync(pattern, entries, Clock.UtcNow, cancellationToken);
        }

        Store.RemoveAll(pattern);
        try
        {
            await Broadcast.BroadcastAsync(NearCacheInvalidation.Topic, new NearCacheInvalidation(pattern, null).ToPayload(), cancellationToken);
        }
        catch (Exception ex)
        {
            // Gateways also clear their near-caches when the membership view changes, which a move or a drain does.
            Log.HandoverBroadcastFailed(_logger, pattern, ex);
        }
    }

    /// <summary>
    /// Drops the entries a previous activation on this silo parked (<see cref="IRouteCacheStore.Park"/>) when the
    /// membership view changed since: the route may have been owned elsewhere meanwhile and invalidated there.
    /// </summary>
    private void DropParkedEntriesIfTheViewChanged()
    {
        var pattern = GrainId.Key;
        if (Store.TryUnpark(pattern, out var parkedAt) && parkedAt != CurrentViewVersion())
        {
            var dropped = Store.RemoveAll(pattern);
            Log.ParkedEntriesDropped(_logger, pattern, dropped, parkedAt);
        }
    }

    // A silo always has a membership view (a private one when embedded, whose version never moves).
    private int CurrentViewVersion() => _services.GetService<IClusterMembership>()?.Current.Version ?? 0;

    /// <summary>
    /// Installs the entries a leaving owner handed over, rebuilt on this silo's cache clock (created <c>age</c> ago,
    /// stale in <c>staleIn</c>). Skips a path this activation invalidated (the entry may hold what was invalidated) and a
    /// path for which the store holds an entry at least as new (by version, and by creation time on this clock).
    /// </summary>
    public ValueTask<RouteCacheHandoverResult> HandleAsync(RouteCacheHandover request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pattern = GrainId.Key;
        if (!IsCacheable)
        {
            // A worker route, or a route this silo's manifest does not cache (a rollout with other settings).
            Log.HandoverRefused(_logger, pattern, request.Entries.Count);
            return new ValueTask<RouteCacheHandoverResult>(s_nothingInstalled);
        }

        var now = Clock.UtcNow;
        var installed = 0;
        foreach (var item in request.Entries)
        {
            if (WasInvalidated(item.Path))
            {
                continue;
            }

            ObserveVersion(item.Version);
            var entry = item.ToEntry(now);

            // Versions are numbered from each activation's clock, so a render here normally outnumbers what the old
            // owner made; comparing creation times on this clock also covers silos whose clocks disagree.
            if (Store.TryGet(pattern, item.Path, out var local) && local.CreatedAt >= entry.CreatedAt)
            {
                continue;
            }

            if (!Store.SetIfNewer(pattern, item.Path, entry))
            {
                continue;
            }

            if (WasInvalidated(item.Path))
            {
                // An invalidation ran while this entry went in (it marks the path before it drops entries): take it out
                // again unless something newer replaced it meanwhile.
                if (Store.TryGet(pattern, item.Path, out var current) && ReferenceEquals(current, entry))
                {
                    Store.Remove(pattern, item.Path);
                }

                continue;
            }

            installed++;
        }

        Log.HandoverReceived(_logger, pattern, request.Entries.Count, installed);
        return new ValueTask<RouteCacheHandoverResult>(installed == 0 ? s_nothingInstalled : new RouteCacheHandoverResult { Installed = installed });
    }

    private static partial class Log
    {
        [LoggerMessage(4534, LogLevel.Debug, "Route {RoutePattern} dropped {Dropped} cached entries kept from an earlier activation here: the membership view changed since view {ParkedAt}, so another silo may have owned and invalidated the route meanwhile.")]
        public static partial void ParkedEntriesDropped(ILogger logger, string routePattern, int dropped, int parkedAt);

        [LoggerMessage(4547, LogLevel.Debug, "Route {RoutePattern} received {EntryCount} cached entries from its previous owner and installed {Installed}.")]
        public static partial void HandoverReceived(ILogger logger, string routePattern, int entryCount, int installed);

        [LoggerMessage(4548, LogLevel.Warning, "Route {RoutePattern} received {EntryCount} cached entries from its previous owner, but this silo does not cache the route; give every silo the same manifest and Cluster:Routes.")]
        public static partial void HandoverRefused(ILogger logger, string routePattern, int entryCount);

        [LoggerMessage(4549, LogLevel.Warning, "Route {RoutePattern} dropped its cached entries as it left, but not every gateway confirmed dropping its copies; they drop them when they see the new membership view.")]
        public static partial void HandoverBroadcastFailed(ILogger logger, string routePattern, Exception exception);
    }
}
