namespace Cluster.Runtime.Diagnostics;

/// <summary>One read of this host's cluster meters: every instrument with at least one series, by instrument name.</summary>
public sealed class MetricsReading
{
    private readonly Dictionary<string, MetricInstrumentReading> _byName;

    /// <summary>Creates a reading of <paramref name="instruments"/> taken at <paramref name="timestamp"/>.</summary>
    public MetricsReading(long timestamp, IReadOnlyList<MetricInstrumentReading> instruments)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        Timestamp = timestamp;
        Instruments = instruments;
        _byName = new Dictionary<string, MetricInstrumentReading>(instruments.Count, StringComparer.Ordinal);
        foreach (var instrument in instruments)
        {
            // Two meters may define an instrument of the same name; the first one read wins, as in the text output.
            _byName.TryAdd(instrument.Name, instrument);
        }
    }

    /// <summary>When the reading was taken (<see cref="TimeProvider.GetTimestamp"/> of the host's time provider).</summary>
    public long Timestamp { get; }

    /// <summary>Every instrument read.</summary>
    public IReadOnlyList<MetricInstrumentReading> Instruments { get; }

    /// <summary>The instrument named <paramref name="name"/> (its OpenTelemetry name, e.g. <c>http.server.request.duration</c>), or null.</summary>
    public MetricInstrumentReading? Find(string name) => _byName.GetValueOrDefault(name);
}
