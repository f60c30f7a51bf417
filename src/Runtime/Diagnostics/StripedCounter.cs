namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// A count for a hot path that many threads bump at once (for example the requests of one outcome), kept per
/// processor stripe so that increments from different cores do not fight over one cache line. Reading adds the
/// stripes up; it is meant for an observable instrument's callback, read at scrape time.
/// </summary>
/// <remarks>
/// A synchronous <c>Counter</c> costs a listener callback and a series lookup on every measurement; for a count
/// recorded on every request with a handful of fixed tag values, one of these per value behind an
/// <c>ObservableCounter</c> costs an uncontended increment instead.
/// </remarks>
public sealed class StripedCounter
{
    private static readonly int s_stride = CoreStripes.Stride(1);

    private readonly long[] _cells = new long[CoreStripes.ArrayLength(s_stride)];

    /// <summary>Adds one.</summary>
    public void Increment() => Interlocked.Increment(ref _cells[CoreStripes.CurrentOffset(s_stride)]);

    /// <summary>Adds <paramref name="value"/> (negative values subtract, as for an up-down counter's sum).</summary>
    public void Add(long value) => Interlocked.Add(ref _cells[CoreStripes.CurrentOffset(s_stride)], value);

    /// <summary>The count so far: exact once concurrent increments have returned.</summary>
    public long Value
    {
        get
        {
            long sum = 0;
            for (var offset = s_stride; offset < _cells.Length; offset += s_stride)
            {
                sum += Interlocked.Read(ref _cells[offset]);
            }

            return sum;
        }
    }
}
