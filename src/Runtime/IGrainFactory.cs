using Cluster.Runtime.Identity;

namespace Cluster.Runtime;

/// <summary>Hands out references to grains. Getting a reference is free: nothing is activated until the first call.</summary>
public interface IGrainFactory
{
    /// <summary>A reference to the grain of type <paramref name="grainType"/> with key <paramref name="key"/>.</summary>
    GrainReference GetGrain(GrainType grainType, string key);
}
