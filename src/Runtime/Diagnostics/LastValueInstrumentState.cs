using System.Diagnostics.Metrics;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// A <c>Gauge</c> or an observable instrument: the last value per tag set. Observable instruments report at each scrape
/// (an <c>ObservableCounter</c> reports its cumulative total), so a tag set they did not report this time is left out
/// rather than shown with a stale value; a synchronous gauge keeps its last value.
/// </summary>
internal sealed class LastValueInstrumentState : MetricInstrumentState
{
    private readonly SeriesMap<LastValueSeries> _series;
    private readonly PrometheusExporter _exporter;
    private readonly bool _observable;

    public LastValueInstrumentState(Instrument instrument, bool monotonic, bool observable, PrometheusExporter exporter, int maxSeries)
        : base(instrument, PrometheusText.MetricName(instrument.Name, instrument.Unit, monotonic), monotonic ? "counter" : "gauge")
    {
        _series = new SeriesMap<LastValueSeries>(static () => new LastValueSeries(), maxSeries);
        _exporter = exporter;
        _observable = observable;
    }

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => Record((double)value, tags);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        => _series.Get(tags).Set(value, _exporter.Generation);

    public override void WriteSamples(PrometheusText text, long generation)
    {
        foreach (var (tags, series) in _series.Snapshot())
        {
            if (_observable && series.Generation != generation)
            {
                continue;
            }

            text.WriteSampleStart(Name, null, tags.Labels);
            text.Write(series.Value);
        }
    }

    public override List<MetricSeriesReading> ReadSeries(long generation)
    {
        var result = new List<MetricSeriesReading>();
        foreach (var (tags, series) in _series.Snapshot())
        {
            if (!_observable || series.Generation == generation)
            {
                result.Add(new MetricSeriesReading(tags.Values, series.Value, null));
            }
        }

        return result;
    }
}
