using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Cluster.Gateway.Diagnostics;

namespace Cluster.Gateway.Tests.Diagnostics;

/// <summary>
/// Listens to one gateway's <see cref="GatewayMetrics"/> instruments (its own meter factory's, so other gateways running
/// in parallel do not add to it) and keeps every measurement with its tags.
/// </summary>
internal sealed class GatewayMetricsCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _requests = new();
    private readonly ConcurrentDictionary<string, long> _outcomes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _recorded = new(0);

    public GatewayMetricsCollector(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == GatewayMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => AddOutcome(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<Measurement> Requests => [.. _requests];

    /// <summary>The middleware outcome counter's totals by outcome, collected now (it is an observable counter).</summary>
    public IReadOnlyDictionary<string, long> CollectOutcomes()
    {
        _outcomes.Clear();
        _listener.RecordObservableInstruments();
        return new Dictionary<string, long>(_outcomes, StringComparer.Ordinal);
    }

    /// <summary>
    /// Waits until <paramref name="count"/> request durations were recorded: the gateway records after it wrote the
    /// response, so a client can read its answer a moment before the measurement exists.
    /// </summary>
    public async Task WaitForRequestsAsync(int count, TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        while (_requests.Count < count)
        {
            try
            {
                await _recorded.WaitAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{_requests.Count} of {count} request durations were recorded.");
            }
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _recorded.Dispose();
    }

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var measurement = new Measurement(value, tags.ToArray().ToDictionary(static t => t.Key, static t => t.Value, StringComparer.Ordinal));
        switch (instrument.Name)
        {
            case GatewayMetrics.RequestDurationName:
                _requests.Enqueue(measurement);
                _recorded.Release();
                break;
        }
    }

    private void AddOutcome(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (instrument.Name == GatewayMetrics.MiddlewareOutcomesName)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == GatewayMetrics.OutcomeTagName)
                {
                    _outcomes[tag.Value?.ToString() ?? string.Empty] = value;
                }
            }
        }
    }

    /// <summary>One measurement: its value and its tags by name.</summary>
    internal sealed record Measurement(double Value, IReadOnlyDictionary<string, object?> Tags)
    {
        public string? Tag(string name) => Tags.TryGetValue(name, out var value) ? value?.ToString() : null;

        /// <summary>route method status cache, the way the assertions below compare requests.</summary>
        public string Key => $"{Tag(GatewayMetrics.RouteTagName)} {Tag(GatewayMetrics.MethodTagName)} {Tag(GatewayMetrics.StatusCodeTagName)} {Tag(GatewayMetrics.CacheTagName) ?? "-"}";
    }
}
