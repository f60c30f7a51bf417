namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// A histogram series' buckets at a reading: explicit upper bounds (inclusive), one count per bucket (not cumulative;
/// the last bucket is everything above the last bound), the sum and the count.
/// </summary>
/// <param name="Boundaries">The upper bounds, ascending.</param>
/// <param name="BucketCounts">Measurements per bucket; one more entry than <paramref name="Boundaries"/>.</param>
/// <param name="Sum">The sum of the measurements.</param>
/// <param name="Count">The number of measurements (the buckets' total).</param>
public sealed record HistogramReading(IReadOnlyList<double> Boundaries, IReadOnlyList<long> BucketCounts, double Sum, long Count)
{
    /// <summary>
    /// The measurements between an earlier reading of the same series and this one (bucket by bucket), e.g. the last
    /// second's; <paramref name="earlier"/> null means since the start.
    /// </summary>
    public HistogramReading Since(HistogramReading? earlier)
        => throw new NotImplementedException("issue 6: h1");

    /// <summary>
    /// Estimates the <paramref name="quantile"/> (0–1) by linear interpolation inside the bucket it falls in, as
    /// Prometheus' <c>histogram_quantile</c> does; the +Inf bucket answers the last bound. NaN when there are no measurements.
    /// </summary>
    public double Quantile(double quantile)
        => throw new NotImplementedException("issue 6: h1");
}
