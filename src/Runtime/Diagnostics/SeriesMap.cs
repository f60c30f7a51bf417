using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// An instrument's series by tag set. A tag set seen before is found through the dictionary's alternate lookup over the
/// measurement's tag span, so recording allocates nothing; only the first measurement of a new tag set copies it.
/// Past <c>maxSeries</c> tag sets every new one goes to a single overflow series (<c>otel_metric_overflow="true"</c>, as
/// OpenTelemetry's SDK does) so that an unbounded tag value cannot grow the process's memory without bound.
/// </summary>
/// <remarks>
/// In front of the dictionary sits a small direct-mapped table keyed by the <em>identity</em> of the tag objects: call
/// sites on hot paths pass the same key strings and value objects every time (constants, route patterns, boxed-once
/// status codes), and comparing references is far cheaper than hashing and comparing the strings' text (a one-tag
/// counter measured 55 ns with the text, 19 ns with this table and <see cref="CoreStripes"/>; bench/README.md). An entry is only ever put in an empty slot, and at
/// most <see cref="IdentitySlots"/> are made per instrument: a call site that passes new objects each time (a formatted
/// string, a value boxed per call) cannot make the table allocate on every measurement, it just keeps using the
/// dictionary. A slot that two tag sets share goes to the first; the other is found by value, as before.
/// </remarks>
internal sealed class SeriesMap<TSeries>
    where TSeries : class
{
    private static readonly TagSet s_overflowTags = TagSet.Create([new("otel.metric.overflow", true)]);

    /// <summary>Slots of the identity table: a power of two, enough for the hot tag sets of an instrument.</summary>
    internal const int IdentitySlots = 64;

    private readonly ConcurrentDictionary<TagSet, TSeries> _series = new(TagSetComparer.Instance);
    private readonly IdentityTagEntry<TSeries>?[] _byIdentity = new IdentityTagEntry<TSeries>?[IdentitySlots];
    private readonly ConcurrentDictionary<TagSet, TSeries>.AlternateLookup<TagSpan> _lookup;
    private readonly Func<TSeries> _create;
    private readonly int _maxSeries;
    private int _identityEntries;
    private TSeries? _untagged;
    private TSeries? _overflow;

    public SeriesMap(Func<TSeries> create, int maxSeries)
    {
        _create = create;
        _maxSeries = maxSeries;
        _lookup = _series.GetAlternateLookup<TagSpan>();
    }

    /// <summary>How many identity entries were made (at most <see cref="IdentitySlots"/>): for tests.</summary>
    internal int IdentityEntryCount => Math.Min(Volatile.Read(ref _identityEntries), IdentitySlots);

    public TSeries Get(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return _untagged ?? GetSlow(tags);
        }

        var slot = IdentityHash(tags) & (IdentitySlots - 1);
        var entry = Volatile.Read(ref _byIdentity[slot]);
        if (entry is not null && entry.Matches(tags))
        {
            return entry.Series;
        }

        var series = _lookup.TryGetValue(new TagSpan(tags), out var found) ? found : GetSlow(tags);
        if (entry is null)
        {
            Remember(slot, tags, series);
        }

        return series;
    }

    /// <summary>A snapshot of the series for a scrape, sorted by their label text so the output is stable.</summary>
    public List<KeyValuePair<TagSet, TSeries>> Snapshot()
    {
        var list = new List<KeyValuePair<TagSet, TSeries>>(_series);
        list.Sort(static (a, b) => string.CompareOrdinal(a.Key.Labels, b.Key.Labels));
        return list;
    }

    private static int IdentityHash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = 0;
        foreach (var tag in tags)
        {
            hash = (hash * 31) + RuntimeHelpers.GetHashCode(tag.Key);
            hash = (hash * 31) + RuntimeHelpers.GetHashCode(tag.Value);
        }

        // The low bits pick the slot; fold the high ones in so references that differ only there still spread.
        return hash ^ (hash >>> 16);
    }

    private void Remember(int slot, ReadOnlySpan<KeyValuePair<string, object?>> tags, TSeries series)
    {
        // The budget is taken before the entry is made, so racing threads never make more than IdentitySlots in all.
        if (Volatile.Read(ref _identityEntries) >= IdentitySlots || Interlocked.Increment(ref _identityEntries) > IdentitySlots)
        {
            return;
        }

        Interlocked.CompareExchange(ref _byIdentity[slot], new IdentityTagEntry<TSeries>(tags, series), null);
    }

    private TSeries GetSlow(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_series.Count >= _maxSeries)
        {
            var overflow = _overflow;
            if (overflow is null)
            {
                // The overflow series is the one allowed past the bound.
                overflow = _series.GetOrAdd(s_overflowTags, static (_, create) => create(), _create);
                _overflow = overflow;
            }

            return overflow;
        }

        var series = _series.GetOrAdd(TagSet.Create(tags), static (_, create) => create(), _create);
        if (tags.IsEmpty)
        {
            _untagged = series;
        }

        return series;
    }
}
