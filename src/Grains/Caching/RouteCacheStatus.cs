namespace Cluster.Grains.Caching;

/// <summary>How the route cache answered a request: the value of the <c>x-route-cache</c> response header.</summary>
public enum RouteCacheStatus : byte
{
    /// <summary>The route is not cached (dynamic, a method other than GET, or a stateless worker): no header.</summary>
    None,

    /// <summary>A fresh cached response.</summary>
    Hit,

    /// <summary>A cached response past its revalidate time, served while one regeneration runs in the background.</summary>
    Stale,

    /// <summary>No cached response yet: rendered in the foreground and stored.</summary>
    Miss,
}
