using System.Runtime.CompilerServices;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// A running sum: integer measurements add to a <see cref="StripedCounter"/> (exact), floating ones to doubles kept per
/// <see cref="CoreStripes">processor stripe</see> the same way, allocated at the first floating measurement (most
/// counters never see one).
/// </summary>
internal sealed class SumSeries
{
    private static readonly int s_stride = CoreStripes.Stride(1);

    private readonly StripedCounter _integral = new();
    private long[]? _floating;

    public void Add(long value) => _integral.Add(value);

    public void Add(double value)
    {
        var cells = Volatile.Read(ref _floating) ?? CreateFloating();
        AtomicDouble.Add(ref Unsafe.As<long, double>(ref cells[CoreStripes.CurrentOffset(s_stride)]), value);
    }

    /// <summary>The value as a reader sees it (what <see cref="WriteValue"/> writes).</summary>
    public double Value => Volatile.Read(ref _floating) is { } cells ? _integral.Value + ReadFloating(cells) : _integral.Value;

    /// <summary>Writes the value: exact as an integer unless a floating-point measurement was ever added.</summary>
    public void WriteValue(PrometheusText text)
    {
        if (Volatile.Read(ref _floating) is { } cells)
        {
            text.Write(_integral.Value + ReadFloating(cells));
        }
        else
        {
            text.Write(_integral.Value);
        }
    }

    private long[] CreateFloating()
    {
        Interlocked.CompareExchange(ref _floating, new long[CoreStripes.ArrayLength(s_stride)], null);
        return _floating;
    }

    private static double ReadFloating(long[] cells)
    {
        double sum = 0;
        for (var offset = s_stride; offset < cells.Length; offset += s_stride)
        {
            sum += Volatile.Read(ref Unsafe.As<long, double>(ref cells[offset]));
        }

        return sum;
    }
}
