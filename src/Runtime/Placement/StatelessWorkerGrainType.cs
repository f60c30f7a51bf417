using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Placement;

/// <summary>
/// A declaration, registered as a singleton by <see cref="StatelessWorkerPlacementExtensions.AddStatelessWorkerPlacement"/>,
/// that <see cref="GrainType"/> is placed as a stateless worker. Every declaration in the container is read once at
/// startup by the placement (which callers consult) and by the silo's grain registry.
/// </summary>
/// <param name="GrainType">The declared grain type.</param>
internal sealed record StatelessWorkerGrainType(GrainType GrainType);
