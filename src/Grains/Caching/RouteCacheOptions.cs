namespace Cluster.Grains.Caching;

/// <summary>The silo's route cache, section <c>Cluster:Cache</c>.</summary>
internal sealed class RouteCacheOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Cluster:Cache";

    /// <summary>The default of <see cref="MaxBytes"/>: 256 MiB.</summary>
    public const long DefaultMaxBytes = 256L * 1024 * 1024;

    /// <summary>
    /// The bytes all route grains of this silo may keep cached (as <c>RouteCacheSizes</c> counts them: body, headers and a
    /// fixed overhead per entry). Past it the least recently used entries are evicted; a single response larger than this
    /// is answered but never stored.
    /// </summary>
    /// <value>Default 256 MiB; above 0.</value>
    public long MaxBytes { get; set; } = DefaultMaxBytes;
}
