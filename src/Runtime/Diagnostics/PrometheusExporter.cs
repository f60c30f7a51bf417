using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// Aggregates this process's cluster meters in memory and renders them in the Prometheus text format for
/// <c>GET /_cluster/metrics</c>. A <see cref="MeterListener"/> enables every instrument of a meter whose name starts with
/// <c>Cluster.</c> (or an added prefix) and that belongs to this host: created by this container's
/// <see cref="IMeterFactory"/>, or by no factory at all. Several hosts in one process (a test cluster) therefore each
/// export only their own measurements.
/// </summary>
/// <remarks>
/// Recording is lock-free and, once a tag set was seen, allocation-free: the listener hands the instrument's state to the
/// callback, and the series is found by the measurement's tag span (<see cref="SeriesMap{TSeries}"/>). Observable
/// instruments are read at scrape time. Scrapes are serialised; they are rare and allowed to allocate.
/// </remarks>
internal sealed class PrometheusExporter : IMetricsReader, IDisposable
{
    /// <summary>The exposition format's content type.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly ConcurrentDictionary<Instrument, MetricInstrumentState> _instruments = new();
    private readonly string[] _prefixes;
    private readonly IMeterFactory _meterFactory;
    private readonly TimeProvider _timeProvider;
    private readonly int _maxSeries;
    private readonly Lock _collectLock = new();
    private readonly MeterListener _listener;
    private long _generation;

    /// <param name="options">Which meters, and how many series each.</param>
    /// <param name="meterFactory">The host's factory: only its meters (and those of no factory) are exported.</param>
    /// <param name="timeProvider">The clock of <see cref="MetricsReading.Timestamp"/> (the system's by default).</param>
    public PrometheusExporter(IOptions<PrometheusExporterOptions> options, IMeterFactory meterFactory, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meterFactory);
        var value = options.Value;
        _prefixes = [PrometheusExporterOptions.DefaultMeterPrefix, .. value.AdditionalMeterPrefixes.Where(static p => !string.IsNullOrEmpty(p))];
        _meterFactory = meterFactory;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _maxSeries = Math.Max(1, value.MaxSeriesPerInstrument);

        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = OnMeasurementsCompleted,
        };
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((MetricInstrumentState)state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((MetricInstrumentState)state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((MetricInstrumentState)state!).Record((long)value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((MetricInstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((MetricInstrumentState)state!).Record((double)value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((MetricInstrumentState)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((MetricInstrumentState)state!).Record((double)value, tags));

        // Start publishes every instrument that already exists, so meters created before the exporter are included
        // (measurements they made before this point are not).
        _listener.Start();
    }

    /// <summary>The number of the scrape in progress (or the last one): observable values carry it.</summary>
    internal long Generation => Volatile.Read(ref _generation);

    /// <summary>Reads the observable instruments and renders every family that has at least one sample.</summary>
    public string Collect()
    {
        lock (_collectLock)
        {
            var generation = Interlocked.Increment(ref _generation);
            _listener.RecordObservableInstruments();

            var states = SortedStates();
            var text = new PrometheusText();
            for (var i = 0; i < states.Length;)
            {
                // Instruments that map to one name (the same instrument name in two meters) share a family: HELP and
                // TYPE once, from the first; one of a conflicting type is left out rather than make the output invalid.
                var first = states[i];
                var start = text.Position;
                text.WriteFamilyHeader(first.Name, first.Type, first.Help);
                var header = text.Position;
                for (; i < states.Length && string.Equals(states[i].Name, first.Name, StringComparison.Ordinal); i++)
                {
                    if (string.Equals(states[i].Type, first.Type, StringComparison.Ordinal))
                    {
                        states[i].WriteSamples(text, generation);
                    }
                }

                if (text.Position == header)
                {
                    text.Truncate(start);
                }
            }

            return text.ToString();
        }
    }

    /// <summary>
    /// Reads the observable instruments and returns every instrument with at least one series: the aggregation
    /// <see cref="Collect"/> renders, serialised with it, so the two never disagree about an instrument.
    /// </summary>
    public MetricsReading Read()
    {
        lock (_collectLock)
        {
            var generation = Interlocked.Increment(ref _generation);
            _listener.RecordObservableInstruments();
            var timestamp = _timeProvider.GetTimestamp();

            var states = SortedStates();
            var instruments = new List<MetricInstrumentReading>(states.Length);
            foreach (var state in states)
            {
                var series = state.ReadSeries(generation);
                if (series.Count > 0)
                {
                    instruments.Add(new MetricInstrumentReading(
                        state.Instrument.Name, state.Instrument.Meter.Name, state.Instrument.Unit, state.Kind, series));
                }
            }

            return new MetricsReading(timestamp, instruments);
        }
    }

    public void Dispose() => _listener.Dispose();

    // By family name, then meter name: the text's order, so "the first of two instruments with one name" is the same one
    // for Collect and Read.
    private MetricInstrumentState[] SortedStates()
    {
        var states = _instruments.Values.ToArray();
        Array.Sort(states, static (a, b) =>
        {
            var byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Instrument.Meter.Name, b.Instrument.Meter.Name);
        });

        return states;
    }

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!Accepts(instrument.Meter))
        {
            return;
        }

        var state = CreateState(instrument);
        if (state is not null && _instruments.TryAdd(instrument, state))
        {
            listener.EnableMeasurementEvents(instrument, state);
        }
    }

    private void OnMeasurementsCompleted(Instrument instrument, object? state) => _instruments.TryRemove(instrument, out _);

    private bool Accepts(Meter meter)
    {
        if (meter.Scope is not null && !ReferenceEquals(meter.Scope, _meterFactory))
        {
            return false;
        }

        foreach (var prefix in _prefixes)
        {
            if (meter.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private MetricInstrumentState? CreateState(Instrument instrument)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType)
        {
            return null;
        }

        var definition = type.GetGenericTypeDefinition();
        if (definition == typeof(Counter<>))
        {
            return new SumInstrumentState(instrument, monotonic: true, _maxSeries);
        }

        if (definition == typeof(UpDownCounter<>))
        {
            return new SumInstrumentState(instrument, monotonic: false, _maxSeries);
        }

        if (definition == typeof(Histogram<>))
        {
            return new HistogramInstrumentState(instrument, _maxSeries);
        }

        if (definition == typeof(Gauge<>))
        {
            return new LastValueInstrumentState(instrument, monotonic: false, observable: false, this, _maxSeries);
        }

        if (definition == typeof(ObservableCounter<>))
        {
            return new LastValueInstrumentState(instrument, monotonic: true, observable: true, this, _maxSeries);
        }

        if (definition == typeof(ObservableUpDownCounter<>) || definition == typeof(ObservableGauge<>))
        {
            return new LastValueInstrumentState(instrument, monotonic: false, observable: true, this, _maxSeries);
        }

        return null;
    }
}
