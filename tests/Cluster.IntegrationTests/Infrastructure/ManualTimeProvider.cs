namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>
/// A clock that moves only when a test calls <see cref="Advance"/>, for the route cache (registered as every process's
/// <c>RouteCacheClock</c>, never as the runtime's <see cref="TimeProvider"/>, whose timers drive membership and must keep
/// real time). Timers created on it fire from <see cref="Advance"/>, on the caller's thread, in due order, outside its lock.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _utcNow;

    // Ticks of TimestampFrequency (one tick = 100 ns); never 0, so a caller treating 0 as "unset" is not fooled.
    private long _timestamp = TimeSpan.TicksPerDay;

    /// <summary>A clock that starts at the real time now (so nothing that mixes clocks by mistake sees a date years off).</summary>
    public ManualTimeProvider()
        : this(TimeProvider.System.GetUtcNow())
    {
    }

    public ManualTimeProvider(DateTimeOffset start) => _utcNow = start;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _utcNow;
        }
    }

    public override long GetTimestamp()
    {
        lock (_lock)
        {
            return _timestamp;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new ManualTimer(this, callback, state);
        lock (_lock)
        {
            _timers.Add(timer);
            timer.Schedule(_timestamp, dueTime, period);
        }

        return timer;
    }

    /// <summary>Moves the clock forward by <paramref name="delta"/>, firing every timer that falls due on the way.</summary>
    public void Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        long target;
        lock (_lock)
        {
            target = _timestamp + delta.Ticks;
        }

        while (true)
        {
            ManualTimer? due = null;
            lock (_lock)
            {
                foreach (var timer in _timers)
                {
                    if (timer.DueAt is { } at && at <= target && (due is null || at < due.DueAt))
                    {
                        due = timer;
                    }
                }

                // Time stops at each timer on the way, so its callback reads the time it was due at.
                var to = due?.DueAt ?? target;
                _utcNow += TimeSpan.FromTicks(to - _timestamp);
                _timestamp = to;
                if (due is null)
                {
                    return;
                }

                due.Fired();
            }

            due.Invoke();
        }
    }

    private void Reschedule(ManualTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            timer.Schedule(_timestamp, dueTime, period);
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (_lock)
        {
            _timers.Remove(timer);
        }
    }

    private sealed class ManualTimer(ManualTimeProvider clock, TimerCallback callback, object? state) : ITimer
    {
        private long _period;

        // Read and written under the clock's lock.
        public long? DueAt { get; private set; }

        public void Schedule(long now, TimeSpan dueTime, TimeSpan period)
        {
            DueAt = dueTime == Timeout.InfiniteTimeSpan ? null : now + Math.Max(0, dueTime.Ticks);
            _period = period == Timeout.InfiniteTimeSpan || period <= TimeSpan.Zero ? 0 : period.Ticks;
        }

        public void Fired() => DueAt = _period > 0 ? DueAt + _period : null;

        public void Invoke() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Reschedule(this, dueTime, period);
            return true;
        }

        public void Dispose() => clock.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
