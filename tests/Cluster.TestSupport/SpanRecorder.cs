using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cluster.TestSupport;

/// <summary>
/// Records every activity of the named sources that stops while it is attached (all sampled, all data). An
/// <see cref="ActivityListener"/> is process-wide: tests that use one must not run beside tests that measure
/// allocations on the same sources, so they belong to a collection with parallelization disabled.
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly SemaphoreSlim _signal = new(0);

    /// <param name="sources">The source names to listen to (exact names).</param>
    public SpanRecorder(params string[] sources)
    {
        var names = new HashSet<string>(sources, StringComparer.Ordinal);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => names.Contains(source.Name),
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                _stopped.Enqueue(activity);
                _signal.Release();
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The activities stopped so far, in the order they stopped.</summary>
    public IReadOnlyCollection<Activity> Stopped => _stopped;

    /// <summary>Waits until an activity matching <paramref name="predicate"/> has stopped, and returns it.</summary>
    /// <exception cref="TimeoutException">None did within <paramref name="timeout"/>.</exception>
    public async Task<Activity> WaitForAsync(Func<Activity, bool> predicate, TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var found = _stopped.FirstOrDefault(predicate);
            if (found is not null)
            {
                return found;
            }

            var now = Stopwatch.GetTimestamp();
            if (now >= deadline || !await _signal.WaitAsync(Stopwatch.GetElapsedTime(now, deadline)))
            {
                throw new TimeoutException(
                    $"No matching activity stopped within {timeout}. Stopped: {string.Join(", ", _stopped.Select(static a => a.DisplayName))}");
            }
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _signal.Dispose();
    }
}
