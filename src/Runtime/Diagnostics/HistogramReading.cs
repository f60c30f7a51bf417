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
    /// second's; <paramref name="earlier"/> null means since the start. When this reading counts fewer measurements than
    /// <paramref name="earlier"/> the series was reset in between (a new process), so this reading is returned whole, as
    /// Prometheus' <c>increase</c> treats a counter reset.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="earlier"/> has other boundaries (it is not the same series).</exception>
    public HistogramReading Since(HistogramReading? earlier)
    {
        if (earlier is null)
        {
            return this;
        }

        if (!SameBoundaries(earlier))
        {
            throw new ArgumentException("The earlier reading has other bucket boundaries; it is not of the same series.", nameof(earlier));
        }

        if (earlier.Count > Count)
        {
            return this;
        }

        var buckets = new long[BucketCounts.Count];
        long count = 0;
        for (var i = 0; i < buckets.Length; i++)
        {
            // Each bucket only grows while the series lives; a concurrent reading may still see one a little behind.
            buckets[i] = Math.Max(0, BucketCounts[i] - earlier.BucketCounts[i]);
            count += buckets[i];
        }

        return new HistogramReading(Boundaries, buckets, Sum - earlier.Sum, count);
    }

    /// <summary>
    /// Estimates the <paramref name="quantile"/> (0–1) by linear interpolation inside the bucket it falls in, as
    /// Prometheus' <c>histogram_quantile</c> does: the first bucket starts at 0 (unless its bound is 0 or below, which is
    /// then the answer), the +Inf bucket answers the last finite bound. NaN when there are no measurements or no finite
    /// bound; below 0 answers -Inf and above 1 +Inf, as in Prometheus.
    /// </summary>
    public double Quantile(double quantile)
    {
        if (double.IsNaN(quantile) || Boundaries.Count == 0 || BucketCounts.Count != Boundaries.Count + 1)
        {
            return double.NaN;
        }

        long total = 0;
        foreach (var bucket in BucketCounts)
        {
            total += bucket;
        }

        if (total == 0)
        {
            return double.NaN;
        }

        if (quantile < 0)
        {
            return double.NegativeInfinity;
        }

        if (quantile > 1)
        {
            return double.PositiveInfinity;
        }

        // The rank of the wanted measurement, and the first finite bucket whose cumulative count reaches it.
        var rank = quantile * total;
        long below = 0;
        for (var i = 0; i < Boundaries.Count; i++)
        {
            var inBucket = BucketCounts[i];
            if (below + inBucket >= rank)
            {
                var upper = Boundaries[i];
                if (i == 0 && upper <= 0)
                {
                    return upper;
                }

                var lower = i == 0 ? 0 : Boundaries[i - 1];
                return inBucket == 0 ? lower : lower + ((upper - lower) * ((rank - below) / inBucket));
            }

            below += inBucket;
        }

        // Past every finite bound: the +Inf bucket has no width to interpolate in.
        return Boundaries[^1];
    }

    private bool SameBoundaries(HistogramReading other)
    {
        if (ReferenceEquals(Boundaries, other.Boundaries))
        {
            return true;
        }

        if (Boundaries.Count != other.Boundaries.Count || BucketCounts.Count != other.BucketCounts.Count)
        {
            return false;
        }

        for (var i = 0; i < Boundaries.Count; i++)
        {
            if (!Boundaries[i].Equals(other.Boundaries[i]))
            {
                return false;
            }
        }

        return true;
    }
}
