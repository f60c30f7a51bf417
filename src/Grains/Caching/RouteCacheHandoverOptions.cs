using System.ComponentModel.DataAnnotations;

namespace Cluster.Grains.Caching;

/// <summary>How a leaving route grain hands its cached entries over, section <c>Cluster:Cache</c> (the hand-over keys of it).</summary>
internal sealed class RouteCacheHandoverOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Cluster:Cache";

    /// <summary>
    /// How long a route grain that leaves its silo (its owner changed, or the silo drains) may spend sending its entries
    /// to the route's new owner. Keep it well below <c>Cluster:Runtime:GrainCollection:DeactivationTimeout</c>: the grain
    /// then still tells every gateway to drop its copies. A hand-over that runs out of time is abandoned (the new owner
    /// renders those paths again).
    /// </summary>
    /// <value>Default 5 seconds; from 1 ms to 5 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan HandoverTimeout { get; set; } = TimeSpan.FromSeconds(5);
}
