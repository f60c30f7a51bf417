using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Cluster.Grains.Caching;

namespace Cluster.Grains.Tests.TestInfrastructure;

/// <summary>
/// Records the route cache's measurements of one silo (its <see cref="IMeterFactory"/>: tests run in parallel, each silo
/// with its own meter of the same name), and lets a test await a measurement instead of sleeping.
/// </summary>
internal sealed class RouteCacheMeterListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();
    private readonly Lock _lock = new();
    private readonly List<(Func<bool> Condition, TaskCompletionSource Met)> _waiters = [];

    public RouteCacheMeterListener(IMeterFactory meterFactory)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RouteCacheMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, meterFactory))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, state) => OnMeasurement(instrument, value, tags, state));
        _listener.Start();
    }

    /// <summary>The sum of an instrument's measurements whose tags include all of <paramref name="tags"/>.</summary>
    public long Sum(string instrument, params (string Key, string Value)[] tags)
        => _measurements
            .Where(m => m.Instrument == instrument && tags.All(t => m.Tags.Any(mt => mt.Key == t.Key && Equals(mt.Value, t.Value))))
            .Sum(static m => m.Value);

    /// <summary>The current value of an observable gauge.</summary>
    public long Gauge(string instrument)
    {
        _listener.RecordObservableInstruments();
        return _measurements.Where(m => m.Instrument == instrument).Select(static m => m.Value).LastOrDefault();
    }

    /// <summary>Completes once <paramref name="condition"/> holds (checked now and after every measurement).</summary>
    public Task WhenAsync(Func<bool> condition)
    {
        var met = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiters.Add((condition, met));
        }

        CheckWaiters();
        return met.Task.WaitAsync(TestTimeouts.Default);
    }

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        _measurements.Enqueue((instrument.Name, value, tags.ToArray()));
        CheckWaiters();
    }

    private void CheckWaiters()
    {
        List<TaskCompletionSource> met = [];
        lock (_lock)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Condition())
                {
                    met.Add(_waiters[i].Met);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var waiter in met)
        {
            waiter.TrySetResult();
        }
    }
}
