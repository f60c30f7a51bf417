using Cluster.Runtime.Activation;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Placement;

/// <summary>
/// The placement view of the current membership snapshot, rebuilt only when the snapshot changes (a reference check
/// per call otherwise). Two threads may race to rebuild after a change; both build the same view, so no lock.
/// Also knows which grain types are placed as stateless workers (no single owner): those declared with
/// <see cref="StatelessWorkerPlacementExtensions.AddStatelessWorkerPlacement"/> and, on a silo, those whose class
/// carries <see cref="StatelessWorkerAttribute"/>.
/// </summary>
internal sealed class GrainPlacement : IGrainLocator
{
    private readonly IClusterMembership _membership;
    private readonly string[] _statelessWorkerTypes;
    private PlacementView _view;

    public GrainPlacement(
        IClusterMembership membership,
        IEnumerable<StatelessWorkerGrainType>? statelessWorkers = null,
        GrainTypeRegistry? registry = null)
    {
        _membership = membership;
        _view = new PlacementView(membership.Current);
        var types = new HashSet<string>(StringComparer.Ordinal);
        foreach (var declared in statelessWorkers ?? [])
        {
            types.Add(declared.GrainType.Name);
        }

        foreach (var registration in registry?.StatelessWorkers ?? [])
        {
            types.Add(registration.GrainType.Name);
        }

        _statelessWorkerTypes = [.. types];
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

    /// <inheritdoc />
    public SiloAddress? GetOwner(GrainId grainId) => IsStatelessWorker(grainId.Type) ? null : Current.GetOwner(grainId);

    /// <summary>Whether calls to <paramref name="grainType"/> are placed as stateless workers (any Active silo, no owner).</summary>
    public bool IsStatelessWorker(GrainType grainType)
    {
        // Checked on every call: a handful of names at most, compared by reference and length first, so an app without
        // stateless workers pays one array-length test and one with a few pays no hashing.
        var types = _statelessWorkerTypes;
        for (var i = 0; i < types.Length; i++)
        {
            if (string.Equals(types[i], grainType.Name, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
