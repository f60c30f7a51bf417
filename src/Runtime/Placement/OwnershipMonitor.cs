using Cluster.Runtime.Activation;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Placement;

/// <summary>
/// Keeps this silo's activations to the grains it owns. When a new membership view gives a grain to another silo (one
/// joined, or this one is draining), the local activation finishes its running requests and deactivates; requests
/// still queued on it are refused unstarted and their callers send them to the new owner. New activations are admitted
/// only for grains this silo owns, so after views converge each grain has at most one activation — the resolution of
/// duplicates after a partition as well. Stateless workers are exempt: they have no owner, every silo may pool them.
/// </summary>
internal sealed partial class OwnershipMonitor : IActivationAdmission, IDisposable
{
    private readonly GrainPlacement _placement;
    private readonly LocalSiloStatus _status;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private ActivationCatalog? _catalog;

    public OwnershipMonitor(GrainPlacement placement, LocalSiloStatus status, IServiceProvider services, ILogger<OwnershipMonitor> logger)
    {
        _placement = placement;
        _status = status;
        _services = services;
        _logger = logger;
        _placement.Membership.Changed += OnMembershipChanged;
    }

    public bool MayActivate(GrainId grainId)
    {
        if (_placement.IsStatelessWorker(grainId.Type))
        {
            // No owner: every silo keeps its own pool of workers.
            return true;
        }

        var owner = _placement.Current.GetOwner(grainId);
        return owner is not null && owner.Equals(_status.SiloAddress);
    }

    public void Dispose() => _placement.Membership.Changed -= OnMembershipChanged;

    private void OnMembershipChanged(MembershipSnapshot snapshot)
    {
        // The catalog depends on this admission check, so it is resolved lazily rather than injected.
        var catalog = _catalog ??= (ActivationCatalog)_services.GetService(typeof(ActivationCatalog))!;
        var view = _placement.Current;
        var moved = 0;
        foreach (var activation in catalog.Activations)
        {
            if (activation.IsStatelessWorker)
            {
                // Workers are not owned and never move; they leave by idle collection or with the silo.
                continue;
            }

            var owner = view.GetOwner(activation.GrainId);
            if (owner is null || !owner.Equals(_status.SiloAddress))
            {
                activation.RequestDeactivation(DeactivationReason.OwnerChanged);
                moved++;
            }
        }

        if (moved > 0)
        {
            Log.OwnershipMoved(_logger, moved, view.Version);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4160, LogLevel.Information, "Membership version {Version} moved {Count} grains to other silos; their activations here finish running requests and deactivate.")]
        public static partial void OwnershipMoved(ILogger logger, int count, int version);
    }
}
