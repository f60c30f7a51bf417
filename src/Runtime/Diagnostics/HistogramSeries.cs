namespace Cluster.Runtime.Diagnostics;

/// <summary>One histogram series: a count per bucket (the last is +Inf), the sum and the count of measurements.</summary>
internal sealed class HistogramSeries
{
    private readonly long[] _buckets;
    private double _sum;

    public HistogramSeries(int boundaryCount) => _buckets = new long[boundaryCount + 1];

    public void Record(int bucket, double value)
    {
        Interlocked.Increment(ref _buckets[bucket]);
        AtomicDouble.Add(ref _sum, value);
    }

    /// <summary>Copies the bucket counts (not cumulative) and returns the sum; the count is the buckets' total.</summary>
    public double Read(Span<long> buckets)
    {
        for (var i = 0; i < _buckets.Length; i++)
        {
            buckets[i] = Interlocked.Read(ref _buckets[i]);
        }

        return Volatile.Read(ref _sum);
    }
}
