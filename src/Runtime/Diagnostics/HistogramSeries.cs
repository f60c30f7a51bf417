using System.Runtime.CompilerServices;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// One histogram series: a count per bucket (the last is +Inf) and the sum of the measurements, kept per
/// <see cref="CoreStripes">processor stripe</see> so concurrent requests do not contend for one cache line; the count of
/// measurements is the buckets' total.
/// </summary>
internal sealed class HistogramSeries
{
    private readonly int _bucketCount;
    private readonly int _stride;

    // Per block: the bucket counts, then the sum's bits.
    private readonly long[] _cells;

    public HistogramSeries(int boundaryCount)
    {
        _bucketCount = boundaryCount + 1;
        _stride = CoreStripes.Stride(_bucketCount + 1);
        _cells = new long[CoreStripes.ArrayLength(_stride)];
    }

    public void Record(int bucket, double value)
    {
        var block = CoreStripes.CurrentOffset(_stride);
        Interlocked.Increment(ref _cells[block + bucket]);
        AtomicDouble.Add(ref Unsafe.As<long, double>(ref _cells[block + _bucketCount]), value);
    }

    /// <summary>Copies the bucket counts (not cumulative) and returns the sum; the count is the buckets' total.</summary>
    public double Read(Span<long> buckets)
    {
        buckets[.._bucketCount].Clear();
        double sum = 0;
        for (var block = _stride; block < _cells.Length; block += _stride)
        {
            for (var i = 0; i < _bucketCount; i++)
            {
                buckets[i] += Interlocked.Read(ref _cells[block + i]);
            }

            sum += Volatile.Read(ref Unsafe.As<long, double>(ref _cells[block + _bucketCount]));
        }

        return sum;
    }
}
