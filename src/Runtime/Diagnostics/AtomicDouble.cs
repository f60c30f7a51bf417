namespace Cluster.Runtime.Diagnostics;

/// <summary>Lock-free arithmetic on <see cref="double"/> fields (there is no <c>Interlocked.Add(ref double, double)</c>).</summary>
internal static class AtomicDouble
{
    public static void Add(ref double location, double value)
    {
        var current = Volatile.Read(ref location);
        while (true)
        {
            var seen = Interlocked.CompareExchange(ref location, current + value, current);

            // Compare bits, not values: NaN != NaN would otherwise spin forever once the sum is NaN.
            if (BitConverter.DoubleToInt64Bits(seen) == BitConverter.DoubleToInt64Bits(current))
            {
                return;
            }

            current = seen;
        }
    }
}
