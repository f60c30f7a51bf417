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

    /// <summary>What the values mean to an <see cref="IMetricsReader"/>: the family's type, so a reading and the text agree.</summary>
    public MetricReadingKind Kind => Type switch
    {
        "counter" => MetricReadingKind.Counter,
        "histogram" => MetricReadingKind.Histogram,
        _ => MetricReadingKind.Gauge,
    };

    public abstract void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Writes every current sample of the family; <paramref name="generation"/> is the scrape's number.</summary>
    public abstract void WriteSamples(PrometheusText text, long generation);

    /// <summary>
    /// The same series <see cref="WriteSamples"/> would write for <paramref name="generation"/>, as data (values as the
    /// text has them, before formatting); an empty list when there are none.
    /// </summary>
    public abstract List<MetricSeriesReading> ReadSeries(long generation);
}
