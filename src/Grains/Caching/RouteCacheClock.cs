namespace Cluster.Grains.Caching;

/// <summary>
/// The clock of route caching (freshness on owners, near-cache lifetimes on gateways), separate from the runtime's
/// <see cref="TimeProvider"/> so a test can move cache time forward without firing the runtime's probe and membership
/// timers. Registered as <see cref="TimeProvider.System"/>'s unless a host or test registers its own first.
/// </summary>
public sealed class RouteCacheClock
{
    /// <summary>A clock reading <paramref name="time"/>.</summary>
    public RouteCacheClock(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        Time = time;
    }

    /// <summary>The time source (timers of the route cache, e.g. a failed regeneration's retry window, use it too).</summary>
    public TimeProvider Time { get; }

    /// <summary>Now, on this clock.</summary>
    public DateTimeOffset UtcNow => Time.GetUtcNow();

    /// <summary>A monotonic timestamp (see <see cref="TimeProvider.GetTimestamp"/>), for the near-cache's hot path.</summary>
    public long GetTimestamp() => Time.GetTimestamp();
}
