using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Caching;

/// <summary>
/// The silo's <see cref="IRouteCacheStore"/>: one concurrent dictionary keyed by (pattern, path), byte accounting with
/// <see cref="RouteCacheEntry.Size"/>, and approximate LRU eviction past <c>Cluster:Cache:MaxBytes</c>. A read is
/// lock-free and allocation-free; eviction scans every entry, which is fine because it runs only while over the cap.
/// </summary>
internal sealed partial class RouteCacheStore : IRouteCacheStore
{
    private readonly ConcurrentDictionary<RouteCacheKey, Slot> _slots = new();
    private readonly ConcurrentDictionary<string, int> _parked = new(StringComparer.Ordinal);
    private readonly Lock _evictionLock = new();
    private readonly long _maxBytes;
    private readonly RouteCacheMetrics _metrics;
    private readonly ILogger _logger;
    private long _bytes;
    private int _count;

    // A logical clock of reads and writes: a slot's LastUse orders it for eviction. Logical rather than a timestamp so
    // two uses in the same tick still order, and a slot already the most recent skips the shared increment.
    private long _uses;

    public RouteCacheStore(IOptions<RouteCacheOptions> options, RouteCacheMetrics metrics, ILogger<RouteCacheStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        _maxBytes = options.Value.MaxBytes;
        _metrics = metrics;
        _logger = logger;
        metrics.ObserveStore(this);
    }

    /// <summary>The cap on <see cref="Bytes"/>.</summary>
    public long MaxBytes => _maxBytes;

    public long Bytes => Volatile.Read(ref _bytes);

    public int Count => Volatile.Read(ref _count);

    public bool TryGet(string pattern, string path, [NotNullWhen(true)] out RouteCacheEntry? entry)
    {
        if (_slots.TryGetValue(new RouteCacheKey(pattern, path), out var slot))
        {
            Touch(slot);
            entry = slot.Entry;
            return true;
        }

        entry = null;
        return false;
    }

    public void Set(string pattern, string path, RouteCacheEntry entry) => Store(pattern, path, entry, onlyIfNewer: false);

    public bool SetIfNewer(string pattern, string path, RouteCacheEntry entry) => Store(pattern, path, entry, onlyIfNewer: true);

    private bool Store(string pattern, string path, RouteCacheEntry entry, bool onlyIfNewer)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(entry);
        var key = new RouteCacheKey(pattern, path);
        var size = entry.Size;
        if (size > _maxBytes)
        {
            if (!onlyIfNewer)
            {
                // The older entry of the path no longer matches what the route renders, so it goes too: the path is
                // rendered per request (single-flight) until its responses fit again.
                RemoveKey(key);
            }

            Log.EntryTooLarge(_logger, pattern, path, size, _maxBytes);
            return false;
        }

        var slot = new Slot(entry, size, NextUse());
        while (true)
        {
            if (_slots.TryGetValue(key, out var old))
            {
                if (onlyIfNewer && old.Entry.Version >= entry.Version)
                {
                    return false;
                }

                if (_slots.TryUpdate(key, slot, old))
                {
                    Interlocked.Add(ref _bytes, size - old.Size);
                    break;
                }
            }
            else if (_slots.TryAdd(key, slot))
            {
                Interlocked.Add(ref _bytes, size);
                Interlocked.Increment(ref _count);
                break;
            }
        }

        EvictWhileOverCap();
        return true;
    }

    public bool Remove(string pattern, string path)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(path);
        return RemoveKey(new RouteCacheKey(pattern, path));
    }

    public int RemoveAll(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var removed = 0;
        foreach (var pair in _slots)
        {
            if (string.Equals(pair.Key.Pattern, pattern, StringComparison.Ordinal) && RemovePair(pair))
            {
                removed++;
            }
        }

        return removed;
    }

    public void Park(string pattern, int viewVersion)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        _parked[pattern] = viewVersion;
    }

    public bool TryUnpark(string pattern, out int viewVersion)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return _parked.TryRemove(pattern, out viewVersion);
    }

    public IReadOnlyList<KeyValuePair<string, RouteCacheEntry>> EntriesOf(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var entries = new List<KeyValuePair<string, RouteCacheEntry>>();
        foreach (var pair in _slots)
        {
            if (string.Equals(pair.Key.Pattern, pattern, StringComparison.Ordinal))
            {
                entries.Add(new(pair.Key.Path, pair.Value.Entry));
            }
        }

        return entries;
    }

    private void Touch(Slot slot)
    {
        // The hot read: no shared write when this slot is already the most recently used one.
        if (Volatile.Read(ref slot.LastUse) != Volatile.Read(ref _uses))
        {
            Volatile.Write(ref slot.LastUse, NextUse());
        }
    }

    private long NextUse() => Interlocked.Increment(ref _uses);

    private bool RemoveKey(RouteCacheKey key)
    {
        if (!_slots.TryRemove(key, out var old))
        {
            return false;
        }

        Interlocked.Add(ref _bytes, -old.Size);
        Interlocked.Decrement(ref _count);
        return true;
    }

    // Removes the pair only if the key still holds that very slot, so a concurrent replacement is never lost.
    private bool RemovePair(KeyValuePair<RouteCacheKey, Slot> pair)
    {
        if (!_slots.TryRemove(pair))
        {
            return false;
        }

        Interlocked.Add(ref _bytes, -pair.Value.Size);
        Interlocked.Decrement(ref _count);
        return true;
    }

    private void EvictWhileOverCap()
    {
        if (Volatile.Read(ref _bytes) <= _maxBytes)
        {
            return;
        }

        // One evictor at a time: concurrent writers over the cap would otherwise each evict a full round.
        lock (_evictionLock)
        {
            if (Volatile.Read(ref _bytes) <= _maxBytes)
            {
                return;
            }

            var slots = _slots.ToArray();
            var lastUses = new long[slots.Length];
            for (var i = 0; i < slots.Length; i++)
            {
                lastUses[i] = Volatile.Read(ref slots[i].Value.LastUse);
            }

            // Sorted on a copy of the use counts, which other threads keep moving while this runs.
            Array.Sort(lastUses, slots);
            var evicted = 0;
            long freed = 0;
            foreach (var pair in slots)
            {
                if (Volatile.Read(ref _bytes) <= _maxBytes)
                {
                    break;
                }

                if (RemovePair(pair))
                {
                    evicted++;
                    freed += pair.Value.Size;
                }
            }

            _metrics.OnEvicted(evicted);
            Log.Evicted(_logger, evicted, freed, _maxBytes);
        }
    }

    private sealed class Slot
    {
        public Slot(RouteCacheEntry entry, long size, long lastUse)
        {
            Entry = entry;
            Size = size;
            LastUse = lastUse;
        }

        public RouteCacheEntry Entry { get; }

        // Computed once: the size walks the headers.
        public long Size { get; }

        // A field: Volatile reads and writes need a reference to it.
        public long LastUse;
    }

    private static partial class Log
    {
        [LoggerMessage(4516, LogLevel.Debug, "The response of route {RoutePattern} for {Path} takes {Size} bytes, more than Cluster:Cache:MaxBytes ({MaxBytes}); it is answered but not cached.")]
        public static partial void EntryTooLarge(ILogger logger, string routePattern, string path, long size, long maxBytes);

        [LoggerMessage(4517, LogLevel.Debug, "Evicted {Entries} least recently used route responses ({Bytes} bytes) to stay under Cluster:Cache:MaxBytes ({MaxBytes}).")]
        public static partial void Evicted(ILogger logger, int entries, long bytes, long maxBytes);
    }
}
