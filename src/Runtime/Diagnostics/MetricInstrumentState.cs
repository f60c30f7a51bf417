using System.Diagnostics.Metrics;

namespace Cluster.Runtime.Diagnostics;

/// <summary>What the exporter keeps for one instrument: its Prometheus family and its series. Passed to the listener as
/// the instrument's state, so a measurement reaches its aggregation without a lookup by instrument.</summary>
internal abstract class MetricInstrumentState
{
    protected MetricInstrumentState(Instrument instrument, string name, string type)
    {
        Instrument = instrument;
        Name = name;
        Type = type;
    }

    public Instrument Instrument { get; }

    /// <summary>The Prometheus family name (for a histogram, without <c>_bucket</c>/<c>_sum</c>/<c>_count</c>).</summary>
    public string Name { get; }

    /// <summary><c>counter</c>, <c>gauge</c> or <c>histogram</c>.</summary>
    public string Type { get; }

    public string? Help => Instrument.Description;

    public abstract void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Writes every current sample of the family; <paramref name="generation"/> is the scrape's number.</summary>
    public abstract void WriteSamples(PrometheusText text, long generation);
}
