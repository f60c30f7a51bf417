using System.Diagnostics.Metrics;

namespace Cluster.Runtime.Diagnostics;

/// <summary>A <c>Histogram</c>: explicit buckets (the instrument's advice, else defaults by unit), sum and count per tag set.</summary>
internal sealed class HistogramInstrumentState : MetricInstrumentState
{
    /// <summary>For durations in seconds: 0.5 ms to 10 s.</summary>
    internal static readonly double[] SecondsBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>OpenTelemetry's default explicit boundaries (suited to milliseconds and sizes).</summary>
    internal static readonly double[] DefaultBoundaries = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    private readonly double[] _boundaries;
    private readonly IReadOnlyList<double> _readOnlyBoundaries;
    private readonly string[] _le;
    private readonly SeriesMap<HistogramSeries> _series;

    public HistogramInstrumentState(Instrument instrument, int maxSeries)
        : base(instrument, PrometheusText.MetricName(instrument.Name, instrument.Unit, isCounter: false), "histogram")
    {
        _boundaries = Boundaries(instrument);
        _readOnlyBoundaries = Array.AsReadOnly(_boundaries);
        _le = [.. _boundaries.Select(PrometheusText.FormatDouble), "+Inf"];
        var count = _boundaries.Length;
        _series = new SeriesMap<HistogramSeries>(() => new HistogramSeries(count), maxSeries);
    }

    internal IReadOnlyList<double> BucketBoundaries => _boundaries;

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Record((double)value, tags);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (double.IsNaN(value))
        {
            return;
        }

        // Buckets are "less than or equal": an exact hit on a boundary belongs to that boundary's bucket.
        var index = Array.BinarySearch(_boundaries, value);
        _series.Get(tags).Record(index >= 0 ? index : ~index, value);
    }

    public override void WriteSamples(PrometheusText text, long generation)
    {
        Span<long> buckets = stackalloc long[_le.Length];
        foreach (var (tags, series) in _series.Snapshot())
        {
            var sum = series.Read(buckets);
            long cumulative = 0;
            for (var i = 0; i < buckets.Length; i++)
            {
                cumulative += buckets[i];
                text.WriteSampleStart(Name, "_bucket", tags.Labels, "le", _le[i]);
                text.Write(cumulative);
            }

            text.WriteSampleStart(Name, "_sum", tags.Labels);
            text.Write(sum);
            text.WriteSampleStart(Name, "_count", tags.Labels);
            text.Write(cumulative);
        }
    }

    public override List<MetricSeriesReading> ReadSeries(long generation)
    {
        var snapshot = _series.Snapshot();
        var result = new List<MetricSeriesReading>(snapshot.Count);
        foreach (var (tags, series) in snapshot)
        {
            // Every reading shares the (read-only) boundaries: they never change after construction.
            var buckets = new long[_le.Length];
            var sum = series.Read(buckets);
            long count = 0;
            foreach (var bucket in buckets)
            {
                count += bucket;
            }

            result.Add(new MetricSeriesReading(tags.Values, count, new HistogramReading(_readOnlyBoundaries, buckets, sum, count)));
        }

        return result;
    }

    private static double[] Boundaries(Instrument instrument)
    {
        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries?.ToArray(),
            Histogram<float> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b).ToArray(),
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b).ToArray(),
            Histogram<int> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b).ToArray(),
            Histogram<short> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b).ToArray(),
            Histogram<byte> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b).ToArray(),
            Histogram<decimal> h => h.Advice?.HistogramBucketBoundaries?.Select(static b => (double)b).ToArray(),
            _ => null,
        };

        if (advised is { Length: > 0 })
        {
            // Advice is meant to be sorted and distinct; a bad one would break the binary search, so fix it here.
            return [.. advised.Where(static b => !double.IsNaN(b) && !double.IsInfinity(b)).Distinct().Order()];
        }

        return string.Equals(instrument.Unit, "s", StringComparison.Ordinal) ? SecondsBoundaries : DefaultBoundaries;
    }
}
