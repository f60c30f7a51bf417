using System.Diagnostics.Metrics;

namespace Cluster.Runtime.Diagnostics;

/// <summary>A <c>Counter</c> (family type counter, <c>_total</c>) or <c>UpDownCounter</c> (gauge): a running sum per tag set.</summary>
internal sealed class SumInstrumentState : MetricInstrumentState
{
    private readonly SeriesMap<SumSeries> _series;

    public SumInstrumentState(Instrument instrument, bool monotonic, int maxSeries)
        : base(instrument, PrometheusText.MetricName(instrument.Name, instrument.Unit, monotonic), monotonic ? "counter" : "gauge")
        => _series = new SeriesMap<SumSeries>(static () => new SumSeries(), maxSeries);

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.Get(tags).Add(value);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.Get(tags).Add(value);

    public override void WriteSamples(PrometheusText text, long generation)
    {
        foreach (var (tags, series) in _series.Snapshot())
        {
            text.WriteSampleStart(Name, null, tags.Labels);
            series.WriteValue(text);
        }
    }

    public override List<MetricSeriesReading> ReadSeries(long generation)
    {
        var snapshot = _series.Snapshot();
        var result = new List<MetricSeriesReading>(snapshot.Count);
        foreach (var (tags, series) in snapshot)
        {
            result.Add(new MetricSeriesReading(tags.Values, series.Value, null));
        }

        return result;
    }
}
