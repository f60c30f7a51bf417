namespace Cluster.Runtime.Diagnostics;

/// <summary>The last value of a gauge or observable instrument, with the scrape that saw it (older ones are not shown).</summary>
internal sealed class LastValueSeries
{
    private double _value;
    private long _generation;

    public double Value => Volatile.Read(ref _value);

    public long Generation => Volatile.Read(ref _generation);

    public void Set(double value, long generation)
    {
        Volatile.Write(ref _value, value);
        Volatile.Write(ref _generation, generation);
    }
}
