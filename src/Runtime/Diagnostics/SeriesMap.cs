using System.Collections.Concurrent;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// An instrument's series by tag set. A tag set seen before is found through the dictionary's alternate lookup over the
/// measurement's tag span, so recording allocates nothing; only the first measurement of a new tag set copies it.
/// Past <c>maxSeries</c> tag sets every new one goes to a single overflow series (<c>otel_metric_overflow="true"</c>, as
/// OpenTelemetry's SDK does) so that an unbounded tag value cannot grow the process's memory without bound.
/// </summary>
internal sealed class SeriesMap<TSeries>
    where TSeries : class
{
    private static readonly TagSet s_overflowTags = TagSet.Create([new("otel.metric.overflow", true)]);

    private readonly ConcurrentDictionary<TagSet, TSeries> _series = new(TagSetComparer.Instance);
    private readonly ConcurrentDictionary<TagSet, TSeries>.AlternateLookup<TagSpan> _lookup;
    private readonly Func<TSeries> _create;
    private readonly int _maxSeries;
    private TSeries? _untagged;
    private TSeries? _overflow;

    public SeriesMap(Func<TSeries> create, int maxSeries)
    {
        _create = create;
        _maxSeries = maxSeries;
        _lookup = _series.GetAlternateLookup<TagSpan>();
    }

    public TSeries Get(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return _untagged ?? GetSlow(tags);
        }

        return _lookup.TryGetValue(new TagSpan(tags), out var series) ? series : GetSlow(tags);
    }

    /// <summary>A snapshot of the series for a scrape, sorted by their label text so the output is stable.</summary>
    public List<KeyValuePair<TagSet, TSeries>> Snapshot()
    {
        var list = new List<KeyValuePair<TagSet, TSeries>>(_series);
        list.Sort(static (a, b) => string.CompareOrdinal(a.Key.Labels, b.Key.Labels));
        return list;
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
