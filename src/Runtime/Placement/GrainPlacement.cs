using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Placement;

/// <summary>
/// The placement view of the current membership snapshot, rebuilt only when the snapshot changes (a reference check
/// per call otherwise). Two threads may race to rebuild after a change; both build the same view, so no lock.
/// </summary>
internal sealed class GrainPlacement
{
    private readonly IClusterMembership _membership;
    private PlacementView _view;

    public GrainPlacement(IClusterMembership membership)
    {
        _membership = membership;
        _view = new PlacementView(membership.Current);
    }

    /// <summary>The membership this placement follows.</summary>
    public IClusterMembership Membership => _membership;

    /// <summary>The view of the newest snapshot this process has.</summary>
    public PlacementView Current
    {
        get
        {
            var snapshot = _membership.Current;
            var view = Volatile.Read(ref _view);
            if (!ReferenceEquals(view.Snapshot, snapshot))
            {
                view = new PlacementView(snapshot);
                Volatile.Write(ref _view, view);
            }

            return view;
        }
    }
}
