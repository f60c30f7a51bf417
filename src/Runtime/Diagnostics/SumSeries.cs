using System.Runtime.CompilerServices;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// A running sum: integer measurements add to a long (exact), floating ones to a double. Both are kept per
/// <see cref="CoreStripes">processor stripe</see> so concurrent requests do not contend for one cache line.
/// </summary>
internal sealed class SumSeries
{
    // Per block: [0] the integer sum, [1] the floating sum's bits.
    private static readonly int s_stride = CoreStripes.Stride(2);

    private readonly long[] _cells = new long[CoreStripes.ArrayLength(s_stride)];
    private int _hasDouble;

    public void Add(long value) => Interlocked.Add(ref _cells[CoreStripes.CurrentOffset(s_stride)], value);

    public void Add(double value)
    {
        if (_hasDouble == 0)
        {
            Volatile.Write(ref _hasDouble, 1);
        }

        AtomicDouble.Add(ref Unsafe.As<long, double>(ref _cells[CoreStripes.CurrentOffset(s_stride) + 1]), value);
    }

    /// <summary>The value as a reader sees it (what <see cref="WriteValue"/> writes).</summary>
    public double Value
    {
        get
        {
            var integral = ReadLong();
            return Volatile.Read(ref _hasDouble) == 0 ? integral : integral + ReadDouble();
        }
    }

    /// <summary>Writes the value: exact as an integer unless a floating-point measurement was ever added.</summary>
    public void WriteValue(PrometheusText text)
    {
        var integral = ReadLong();
        if (Volatile.Read(ref _hasDouble) == 0)
        {
            text.Write(integral);
        }
        else
        {
            text.Write(integral + ReadDouble());
        }
    }

    private long ReadLong()
    {
        long sum = 0;
        for (var offset = s_stride; offset < _cells.Length; offset += s_stride)
        {
            sum += Interlocked.Read(ref _cells[offset]);
        }

        return sum;
    }

    private double ReadDouble()
    {
        double sum = 0;
        for (var offset = s_stride; offset < _cells.Length; offset += s_stride)
        {
            sum += Volatile.Read(ref Unsafe.As<long, double>(ref _cells[offset + 1]));
        }

        return sum;
    }
}
