using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Placement;

/// <summary>
/// Where grains live when the silo is alone (a membership table private to this process, the embedded default): every
/// grain is this silo's while it is Active. Its membership view is empty — nothing is networked — so the placement
/// over the view (<see cref="GrainPlacement"/>) would say "no owner".
/// </summary>
internal sealed class LocalGrainLocator : IGrainLocator
{
    private readonly LocalSiloStatus _status;
    private readonly GrainPlacement _placement;

    public LocalGrainLocator(LocalSiloStatus status, GrainPlacement placement)
    {
        _status = status;
        _placement = placement;
    }

    /// <inheritdoc />
    public SiloAddress? GetOwner(GrainId grainId)
        => _status.Status == SiloStatus.Active && !_placement.IsStatelessWorker(grainId.Type) ? _status.SiloAddress : null;
}
