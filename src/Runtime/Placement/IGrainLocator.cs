using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Placement;

/// <summary>Where grains live in this process's newest membership view (no lookup: placement is by hashing).</summary>
public interface IGrainLocator
{
    /// <summary>
    /// The silo that owns <paramref name="grainId"/> in the current view; null when no silo is Active, or when the grain
    /// type is a stateless worker (it has no single owner).
    /// </summary>
    SiloAddress? GetOwner(GrainId grainId);
}
