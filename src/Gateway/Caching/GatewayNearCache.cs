using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Cluster.Gateway.Diagnostics;
using Cluster.Grains.Caching;
using Cluster.Routing;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Messaging;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Caching;

/// <summary>
/// The gateway's copies of cached route responses, by path (no query): a fresh copy is served as a HIT without a call
/// to the route's owner. The owner says how long a copy may be served (<see cref="RouteReply.FreshFor"/>) and tells
/// every gateway to drop copies before it confirms an invalidation (<see cref="NearCacheInvalidation"/>, received here
/// as an <see cref="IBroadcastReceiver"/>). See <c>README.md</c> in this folder for the invariants.
/// </summary>
/// <remarks>
/// Lookups are lock-free and allocation-free (one concurrent-dictionary read and a clock read). Inserts, invalidations
/// and clears take one lock, so the epoch check of an insert and the epoch increment of an invalidation are ordered:
/// a reply whose call started before an invalidation (or a clear) was applied is never inserted after it.
/// </remarks>
internal sealed partial class GatewayNearCache : IBroadcastReceiver, IConnectionLossObserver
{
    // The path string and the dictionary node of an entry, beside what RouteCacheSizes counts for the response.
    private const int KeyOverhead = 64;

    // Written only under _writeLock (one writer at a time), read without it.
    private readonly ConcurrentDictionary<string, NearCacheEntry> _entries = new(concurrencyLevel: 1, capacity: 31, StringComparer.Ordinal);

    // Pattern → its paths held now, so a whole-route invalidation drops them without scanning every entry. Under _writeLock.
    private readonly Dictionary<string, HashSet<string>> _pathsByPattern = new(StringComparer.Ordinal);
    private readonly Lock _writeLock = new();
    private readonly RouteCacheClock _clock;
    private readonly ILogger<GatewayNearCache> _logger;
    private readonly bool _enabled;
    private readonly long _maxBytes;
    private long _epoch;
    private long _bytes;

    public GatewayNearCache(RouteCacheClock clock, IOptions<NearCacheOptions> options, ILogger<GatewayNearCache> logger)
    {
        _clock = clock;
        _logger = logger;
        _enabled = options.Value.Enabled;
        _maxBytes = options.Value.MaxBytes;
    }

    /// <summary>Whether the near-cache keeps copies (<c>Gateway:NearCache:Enabled</c>).</summary>
    public bool Enabled => _enabled;

    /// <summary>The topic of the invalidations this receiver handles.</summary>
    public string Topic => NearCacheInvalidation.Topic;

    /// <summary>
    /// Increases with every invalidation and every clear. Read it before calling a route's owner and pass it to
    /// <see cref="TryAdd"/> with the reply: the reply is kept only if nothing was invalidated in between.
    /// </summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    /// <summary>The copies held now (including expired ones not yet replaced).</summary>
    public int Count => _entries.Count;

    /// <summary>The bytes the copies held now are accounted for.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>The fresh copy of <paramref name="path"/> of route <paramref name="pattern"/>, if there is one. Lock-free, allocation-free.</summary>
    public bool TryGet(string pattern, string path, [NotNullWhen(true)] out RouteResponse? response)
    {
        if (_enabled
            && _entries.TryGetValue(path, out var entry)
            && (entry.ExpiresAt == NearCacheEntry.Never || entry.ExpiresAt > _clock.GetTimestamp())
            && string.Equals(entry.Pattern, pattern, StringComparison.Ordinal))
        {
            response = entry.Response;
            return true;
        }

        response = null;
        return false;
    }

    /// <summary>
    /// Keeps a copy of an owner's reply for <paramref name="path"/> for its <see cref="RouteReply.FreshFor"/>, unless the
    /// reply may not be kept (<see cref="TimeSpan.Zero"/>, or not a HIT or MISS), it is larger than the whole cap, or
    /// <see cref="Epoch"/> moved past <paramref name="epoch"/> (read before the call) meanwhile.
    /// </summary>
    /// <returns>Whether the copy was stored.</returns>
    public bool TryAdd(string pattern, string path, in RouteReply reply, long epoch)
    {
        if (!_enabled)
        {
            return false;
        }

        var freshFor = reply.FreshFor;
        if (reply.Cache is not (RouteCacheStatus.Hit or RouteCacheStatus.Miss)
            || (freshFor <= TimeSpan.Zero && freshFor != Timeout.InfiniteTimeSpan))
        {
            ForgetExpired(path);
            return false;
        }

        var size = RouteCacheSizes.Of(reply.Response) + (2L * path.Length) + KeyOverhead;
        if (size > _maxBytes)
        {
            Log.ResponseTooLarge(_logger, path, size, _maxBytes);
            return false;
        }

        NearCacheClearReason? cleared = null;
        int clearedCount = 0;
        lock (_writeLock)
        {
            if (_epoch != epoch)
            {
                // Invalidated or cleared since the call started: this reply may be what was invalidated.
                return false;
            }

            // Computed under the lock so a copy never outlives its freshness by the time spent waiting for it.
            var expiresAt = freshFor == Timeout.InfiniteTimeSpan ? NearCacheEntry.Never : _clock.GetTimestamp() + ToTimestampTicks(freshFor);
            var replaced = _entries.TryGetValue(path, out var existing) ? existing.Size : 0;
            if (_bytes - replaced + size > _maxBytes)
            {
                clearedCount = ClearCore();
                cleared = NearCacheClearReason.OverCapacity;
                existing = null;
            }

            if (existing is not null)
            {
                UnindexCore(path, existing);
            }

            var entry = new NearCacheEntry(reply.Response, pattern, expiresAt, size);
            _entries[path] = entry;
            IndexCore(path, entry);
        }

        if (cleared is { } reason)
        {
            Log.Cleared(_logger, reason, clearedCount);
        }

        return true;
    }

    /// <summary>
    /// Drops the copy of the notice's path, or every copy of its route when it names no path, and moves
    /// <see cref="Epoch"/> so no reply of a call that started before is kept afterwards.
    /// </summary>
    /// <returns>How many copies were dropped.</returns>
    public int Invalidate(NearCacheInvalidation invalidation)
    {
        ArgumentNullException.ThrowIfNull(invalidation.Pattern);
        var dropped = 0;
        lock (_writeLock)
        {
            Interlocked.Increment(ref _epoch);
            if (invalidation.Path is { } path)
            {
                // By path alone: a path is routed to one route, and dropping more than asked is always safe.
                if (_entries.TryGetValue(path, out var entry))
                {
                    UnindexCore(path, entry);
                    _entries.TryRemove(path, out _);
                    dropped = 1;
                }
            }
            else if (_pathsByPattern.Remove(invalidation.Pattern, out var paths))
            {
                foreach (var routePath in paths)
                {
                    if (_entries.TryRemove(routePath, out var entry))
                    {
                        Interlocked.Add(ref _bytes, -entry.Size);
                        dropped++;
                    }
                }
            }
        }

        Log.Invalidated(_logger, invalidation.Pattern, invalidation.Path, dropped);
        return dropped;
    }

    /// <summary>Drops every copy and moves <see cref="Epoch"/>.</summary>
    public void Clear(NearCacheClearReason reason)
    {
        int count;
        lock (_writeLock)
        {
            count = ClearCore();
        }

        Log.Cleared(_logger, reason, count);
    }

    /// <inheritdoc />
    public void OnBroadcast(ReadOnlySpan<byte> payload)
    {
        NearCacheInvalidation invalidation;
        try
        {
            invalidation = NearCacheInvalidation.FromPayload(payload);
        }
        catch (InvalidDataException exception)
        {
            // Which copies the owner meant is unknown, and it counts on them being gone once this returns.
            Log.InvalidationMalformed(_logger, exception);
            Clear(NearCacheClearReason.MalformedInvalidation);
            return;
        }

        Invalidate(invalidation);
    }

    /// <inheritdoc />
    public void OnConnectionLost(SiloAddress silo)
    {
        // The silo's invalidations can no longer reach this gateway, and which copies came from it is not tracked.
        Log.ConnectionLost(_logger, silo);
        Clear(NearCacheClearReason.ConnectionLost);
    }

    // Removes a copy that has expired once its owner answered a reply that may not be kept (STALE while it regenerates),
    // so expired copies do not pile up until the cap clears them. A fresh copy stays: only an invalidation drops it.
    private void ForgetExpired(string path)
    {
        if (!_entries.TryGetValue(path, out var seen) || seen.ExpiresAt == NearCacheEntry.Never || seen.ExpiresAt > _clock.GetTimestamp())
        {
            return;
        }

        lock (_writeLock)
        {
            if (_entries.TryGetValue(path, out var current) && ReferenceEquals(current, seen))
            {
                UnindexCore(path, current);
                _entries.TryRemove(path, out _);
            }
        }
    }

    // Under _writeLock.
    private int ClearCore()
    {
        Interlocked.Increment(ref _epoch);
        var count = _entries.Count;
        _entries.Clear();
        _pathsByPattern.Clear();
        Interlocked.Exchange(ref _bytes, 0);
        return count;
    }

    // Under _writeLock.
    private void IndexCore(string path, NearCacheEntry entry)
    {
        if (!_pathsByPattern.TryGetValue(entry.Pattern, out var paths))
        {
            paths = new HashSet<string>(StringComparer.Ordinal);
            _pathsByPattern.Add(entry.Pattern, paths);
        }

        paths.Add(path);
        Interlocked.Add(ref _bytes, entry.Size);
    }

    // Under _writeLock; the caller removes the entry itself.
    private void UnindexCore(string path, NearCacheEntry entry)
    {
        if (_pathsByPattern.TryGetValue(entry.Pattern, out var paths) && paths.Remove(path) && paths.Count == 0)
        {
            _pathsByPattern.Remove(entry.Pattern);
        }

        Interlocked.Add(ref _bytes, -entry.Size);
    }

    private long ToTimestampTicks(TimeSpan freshFor)
    {
        // In floating point: FreshFor goes up to ~49 days and timestamp frequencies up to 1 GHz, whose product overflows.
        var ticks = freshFor.TotalSeconds * _clock.Time.TimestampFrequency;
        return ticks >= long.MaxValue / 4 ? long.MaxValue / 4 : (long)ticks;
    }

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.NearCacheCleared, LogLevel.Information, "Emptied the near-cache ({Count} copies): {Reason}.")]
        public static partial void Cleared(ILogger logger, NearCacheClearReason reason, int count);

        [LoggerMessage(GatewayEventIds.NearCacheInvalidated, LogLevel.Debug, "Dropped {Count} near-cache copies of route {Pattern} (path {Path}) on its owner's invalidation.")]
        public static partial void Invalidated(ILogger logger, string pattern, string? path, int count);

        [LoggerMessage(GatewayEventIds.NearCacheInvalidationMalformed, LogLevel.Warning, "A near-cache invalidation could not be read; emptied the whole near-cache instead. Gateways and silos may run different versions.")]
        public static partial void InvalidationMalformed(ILogger logger, Exception exception);

        [LoggerMessage(GatewayEventIds.NearCacheResponseTooLarge, LogLevel.Debug, "The response of {Path} ({Size} bytes) is larger than Gateway:NearCache:MaxBytes ({MaxBytes}); not kept in the near-cache.")]
        public static partial void ResponseTooLarge(ILogger logger, string path, long size, long maxBytes);

        [LoggerMessage(GatewayEventIds.NearCacheConnectionLost, LogLevel.Information, "The connection to silo {Silo} closed; emptying the near-cache, since that silo's invalidations can no longer reach it.")]
        public static partial void ConnectionLost(ILogger logger, SiloAddress silo);
    }
}
