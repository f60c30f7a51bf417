using Cluster.Routing;

namespace Cluster.Grains.Caching;

/// <summary>
/// One entry of a <see cref="RouteCacheHandover"/>. Times travel as durations measured on the sender's clock when it
/// sent them, and the receiver rebuilds them on its own clock, so the two silos' clocks need not agree.
/// </summary>
internal sealed class RouteCacheHandoverEntry
{
    /// <summary>The longest <see cref="Age"/> or <see cref="StaleIn"/> carried (about 100 years): far above any real
    /// entry, and far enough below <see cref="DateTimeOffset"/>'s range that rebuilding the times cannot overflow.</summary>
    public static readonly TimeSpan MaxSpan = TimeSpan.FromDays(36_500);

    /// <summary>The path (no query) the entry is cached under.</summary>
    public required string Path { get; init; }

    /// <summary>The response as it is served.</summary>
    public required RouteResponse Response { get; init; }

    /// <summary>The entry's version on the sender (the receiver keeps a newer one of its own).</summary>
    public required long Version { get; init; }

    /// <summary>How long before sending it was rendered (now − CreatedAt); zero or more.</summary>
    public required TimeSpan Age { get; init; }

    /// <summary>
    /// How long after sending it turns stale (StaleAt − now; negative when it is stale already, so the receiver serves
    /// it STALE and regenerates), or <see langword="null"/> when it never does (a static route).
    /// </summary>
    public required TimeSpan? StaleIn { get; init; }

    /// <summary>Describes <paramref name="entry"/> as of <paramref name="now"/> on the sender's clock.</summary>
    public static RouteCacheHandoverEntry From(string path, RouteCacheEntry entry, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(entry);
        return new RouteCacheHandoverEntry
        {
            Path = path,
            Response = entry.Response,
            Version = entry.Version,
            Age = Clamp(now - entry.CreatedAt, TimeSpan.Zero),
            StaleIn = entry.StaleAt == DateTimeOffset.MaxValue ? null : Clamp(entry.StaleAt - now, -MaxSpan),
        };
    }

    /// <summary>The entry on the receiver's clock at <paramref name="now"/>.</summary>
    public RouteCacheEntry ToEntry(DateTimeOffset now) => new(
        Response,
        now - Age,
        StaleIn is { } staleIn ? now + staleIn : DateTimeOffset.MaxValue,
        Version);

    private static TimeSpan Clamp(TimeSpan value, TimeSpan min)
        => value < min ? min : value > MaxSpan ? MaxSpan : value;
}
