using Cluster.Runtime.Diagnostics;

namespace Cluster.Gateway.Dashboard;

/// <summary>
/// One route's (or the whole gateway's) request totals at a reading of <c>http.server.request.duration</c>, summed over
/// its series (methods, status codes, cache outcomes): what the dashboard subtracts two of to get a window's numbers.
/// </summary>
internal sealed class RouteTotals
{
    /// <summary>Requests answered.</summary>
    public long Requests { get; private set; }

    /// <summary>Requests answered with a 5xx status.</summary>
    public long Errors { get; private set; }

    /// <summary>Requests answered from the route cache while fresh (<c>route.cache</c> = <c>hit</c>).</summary>
    public long CacheHits { get; private set; }

    /// <summary>Requests of a cached route, whatever the outcome (<c>route.cache</c> = <c>hit</c>, <c>stale</c> or <c>miss</c>).</summary>
    public long CacheLookups { get; private set; }

    /// <summary>The durations of every series added, bucket by bucket; null before the first.</summary>
    public HistogramReading? Durations { get; private set; }

    /// <summary>Adds one series of the duration histogram.</summary>
    public void Add(MetricSeriesReading series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var count = (long)series.Value;
        Requests += count;
        if (series.Tag(Diagnostics.GatewayMetrics.StatusCodeTagName) is { Length: 3 } status && status[0] == '5')
        {
            Errors += count;
        }

        switch (series.Tag(Diagnostics.GatewayMetrics.CacheTagName))
        {
            case null:
                break;
            case var cache when cache.Equals("hit", StringComparison.OrdinalIgnoreCase):
                CacheHits += count;
                CacheLookups += count;
                break;
            case var cache when cache.Equals("stale", StringComparison.OrdinalIgnoreCase) || cache.Equals("miss", StringComparison.OrdinalIgnoreCase):
                CacheLookups += count;
                break;
        }

        if (series.Histogram is { } histogram)
        {
            Durations = Merge(Durations, histogram);
        }
    }

    /// <summary>
    /// The requests between <paramref name="earlier"/> and this reading (null: since the gateway started). Counts never
    /// go below 0, whatever a concurrent recording made the two readings see.
    /// </summary>
    public RouteTotals Since(RouteTotals? earlier)
    {
        if (earlier is null)
        {
            return this;
        }

        return new RouteTotals
        {
            Requests = Math.Max(0, Requests - earlier.Requests),
            Errors = Math.Max(0, Errors - earlier.Errors),
            CacheHits = Math.Max(0, CacheHits - earlier.CacheHits),
            CacheLookups = Math.Max(0, CacheLookups - earlier.CacheLookups),
            Durations = Durations is null ? null : Durations.Since(SameShape(earlier.Durations, Durations)),
        };
    }

    /// <summary>The <paramref name="quantile"/> of the durations in milliseconds; null without measurements.</summary>
    public double? QuantileMs(double quantile)
    {
        if (Durations is null || Durations.Count == 0)
        {
            return null;
        }

        var seconds = Durations.Quantile(quantile);
        return double.IsFinite(seconds) ? seconds * 1000 : null;
    }

    // Series of one instrument share their buckets; a series of other buckets (which the exporter never produces) is left out.
    private static HistogramReading Merge(HistogramReading? total, HistogramReading series)
    {
        if (total is null)
        {
            return series;
        }

        if (SameShape(series, total) is null)
        {
            return total;
        }

        var buckets = new long[total.BucketCounts.Count];
        for (var i = 0; i < buckets.Length; i++)
        {
            buckets[i] = total.BucketCounts[i] + series.BucketCounts[i];
        }

        return new HistogramReading(total.Boundaries, buckets, total.Sum + series.Sum, total.Count + series.Count);
    }

    private static HistogramReading? SameShape(HistogramReading? candidate, HistogramReading reference)
    {
        if (candidate is null
            || candidate.Boundaries.Count != reference.Boundaries.Count
            || candidate.BucketCounts.Count != reference.BucketCounts.Count)
        {
            return null;
        }

        for (var i = 0; i < candidate.Boundaries.Count; i++)
        {
            if (!candidate.Boundaries[i].Equals(reference.Boundaries[i]))
            {
                return null;
            }
        }

        return candidate;
    }
}
