namespace Cluster.Runtime.Diagnostics;

/// <summary>A running sum: integer measurements add to a long (exact), floating ones to a double.</summary>
internal sealed class SumSeries
{
    private long _long;
    private double _double;
    private int _hasDouble;

    public void Add(long value) => Interlocked.Add(ref _long, value);

    public void Add(double value)
    {
        if (_hasDouble == 0)
        {
            Volatile.Write(ref _hasDouble, 1);
        }

        AtomicDouble.Add(ref _double, value);
    }

    /// <summary>The value as a reader sees it (what <see cref="WriteValue"/> writes).</summary>
    public double Value
    {
        get
        {
            var integral = Interlocked.Read(ref _long);
            return Volatile.Read(ref _hasDouble) == 0 ? integral : integral + Volatile.Read(ref _double);
        }
    }

    /// <summary>Writes the value: exact as an integer unless a floating-point measurement was ever added.</summary>
    public void WriteValue(PrometheusText text)
    {
        var integral = Interlocked.Read(ref _long);
        if (Volatile.Read(ref _hasDouble) == 0)
        {
            text.Write(integral);
        }
        else
        {
            text.Write(integral + Volatile.Read(ref _double));
        }
    }
}
