namespace Cluster.Gateway.Dashboard;

/// <summary>
/// The request totals of the sampler's recent readings, from which each sample's rates and percentiles are the
/// difference of two readings: requests per second over the last interval, percentiles, error rate and cache hit ratio
/// over the last window (<see cref="WindowSamples"/> readings, about 10 s). Used by the sampler's loop only, one reading
/// at a time; <see cref="Clear"/> when sampling resumes after a pause, so no window spans the time nobody watched.
/// </summary>
internal sealed class DashboardRequestHistory
{
    private readonly Queue<RequestTotals> _readings = new();
    private readonly TimeProvider _time;

    /// <param name="window">The span of the percentiles, error rates and hit ratios.</param>
    /// <param name="interval">The time between two readings.</param>
    /// <param name="time">Measures the time between two readings.</param>
    public DashboardRequestHistory(TimeSpan window, TimeSpan interval, TimeProvider time)
    {
        WindowSamples = Math.Max(1, (int)Math.Ceiling(window / interval));
        _time = time;
    }

    /// <summary>How many intervals a window spans.</summary>
    public int WindowSamples { get; }

    /// <summary>The newest reading; null after <see cref="Clear"/>.</summary>
    public RequestTotals? Latest { get; private set; }

    /// <summary>The reading before <see cref="Latest"/>; null when there is none.</summary>
    public RequestTotals? Previous { get; private set; }

    /// <summary>The oldest reading kept: the start of the window (null when only <see cref="Latest"/> is kept).</summary>
    public RequestTotals? WindowStart { get; private set; }

    /// <summary>Forgets every reading.</summary>
    public void Clear()
    {
        _readings.Clear();
        Latest = Previous = WindowStart = null;
    }

    /// <summary>Adds the newest reading.</summary>
    public void Add(RequestTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        Previous = Latest;
        Latest = totals;
        _readings.Enqueue(totals);
        while (_readings.Count > WindowSamples + 1)
        {
            _readings.Dequeue();
        }

        WindowStart = _readings.Count > 1 ? _readings.Peek() : null;
    }

    /// <summary>The seconds between <see cref="Previous"/> and <see cref="Latest"/>; 0 without both.</summary>
    public double IntervalSeconds => Previous is { } previous && Latest is { } latest
        ? _time.GetElapsedTime(previous.Timestamp, latest.Timestamp).TotalSeconds
        : 0;

    /// <summary>The dashboard row of <paramref name="route"/> from the newest reading.</summary>
    public DashboardRoute Row(DashboardRouteInfo route, string? owner)
    {
        ArgumentNullException.ThrowIfNull(route);
        var current = Latest?.Route(route.Pattern);
        if (current is null)
        {
            return new DashboardRoute(route.Pattern, route.Kind, owner, 0, 0, null, null, 0, null);
        }

        // Before the first interval the window is the gateway's whole life: the best there is until a second reading.
        var window = current.Since(WindowStart?.Route(route.Pattern));
        var seconds = IntervalSeconds;
        var lastInterval = seconds > 0 ? current.Since(Previous?.Route(route.Pattern)).Requests / seconds : 0;
        return new DashboardRoute(
            route.Pattern,
            route.Kind,
            owner,
            current.Requests,
            lastInterval,
            window.QuantileMs(0.5),
            window.QuantileMs(0.99),
            window.Requests == 0 ? 0 : (double)window.Errors / window.Requests,
            window.CacheLookups == 0 ? null : (double)window.CacheHits / window.CacheLookups);
    }

    /// <summary>The chart point of the last interval (every request of the gateway); null before the second reading.</summary>
    public DashboardThroughputPoint? Point(DateTimeOffset at)
    {
        var seconds = IntervalSeconds;
        if (Latest is not { } latest || Previous is not { } previous || seconds <= 0)
        {
            return null;
        }

        var interval = latest.All.Since(previous.All);
        return new DashboardThroughputPoint(at, interval.Requests / seconds, interval.QuantileMs(0.5), interval.QuantileMs(0.99), interval.Errors / seconds);
    }
}
