using System.ComponentModel.DataAnnotations;

namespace Cluster.Gateway.Caching;

/// <summary>Settings of the gateway's near-cache of cached route responses, section <c>Gateway:NearCache</c>.</summary>
public sealed class NearCacheOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:NearCache";

    /// <summary>
    /// Keep copies of cached GET responses in the gateway so a fresh one is served without a call to its route's owner.
    /// Off: every request of a cached route is a call (the owner still answers from its cache).
    /// </summary>
    /// <value>Default <c>true</c>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The bytes of responses (bodies, headers and a fixed overhead per entry) the near-cache may hold. Inserting past
    /// it empties the near-cache first; a single response larger than it is never kept.
    /// </summary>
    /// <value>Default 64 MiB (67,108,864 bytes); 64 KiB to 64 GiB.</value>
    [Range(64L * 1024, 64L * 1024 * 1024 * 1024)]
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;
}
