using Cluster.Runtime.Activation;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Networking;
using Cluster.Runtime.Placement;

namespace Cluster.Runtime.Messaging;

/// <summary>
/// Runs grain calls that arrive over the network on this silo, after two checks that keep one activation per grain:
/// the silo is Active (otherwise the call is refused unstarted, and the caller sends it to the next owner), and this
/// silo owns the grain in its view — refreshed first when the caller's view is newer, so the two agree before one of
/// them says no. Stateless-worker grains skip the ownership check (they have no owner).
/// </summary>
internal sealed class SiloInboundCallHandler : IInboundCallHandler
{
    private readonly ActivationCatalog _catalog;
    private readonly LocalSiloStatus _status;
    private readonly GrainPlacement _placement;
    private readonly IMembershipNotificationSink _notifications;

    public SiloInboundCallHandler(ActivationCatalog catalog, LocalSiloStatus status, GrainPlacement placement, IMembershipNotificationSink notifications)
    {
        _catalog = catalog;
        _status = status;
        _placement = placement;
        _notifications = notifications;
    }

    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(GrainId grainId, TRequest request, InboundCallInfo info, CancellationToken cancellationToken)
    {
        if (!_status.AcceptsCalls)
        {
            return ValueTask.FromException<TResponse>(_status.CreateUnavailableException());
        }

        if (_placement.IsStatelessWorker(grainId.Type))
        {
            // A stateless worker has no owner: any Active silo a caller picked runs it in its own pool.
            return _catalog.InvokeAsync<TRequest, TResponse>(grainId, request, cancellationToken);
        }

        var view = _placement.Current;
        if (info.CallerViewVersion > view.Version)
        {
            return InvokeAfterRefreshAsync<TRequest, TResponse>(grainId, request, info.CallerViewVersion, cancellationToken);
        }

        return IsLocalOwner(view, grainId)
            ? _catalog.InvokeAsync<TRequest, TResponse>(grainId, request, cancellationToken)
            : ValueTask.FromException<TResponse>(new GrainNotOwnedException(view.Version));
    }

    public void OnMembershipChanged(int version) => _notifications.OnPeerNotified(version);

    private async ValueTask<TResponse> InvokeAfterRefreshAsync<TRequest, TResponse>(
        GrainId grainId, TRequest request, int callerViewVersion, CancellationToken cancellationToken)
    {
        await _placement.Membership.RefreshAsync(callerViewVersion, cancellationToken).ConfigureAwait(false);
        var view = _placement.Current;
        if (!IsLocalOwner(view, grainId))
        {
            throw new GrainNotOwnedException(view.Version);
        }

        return await _catalog.InvokeAsync<TRequest, TResponse>(grainId, request, cancellationToken).ConfigureAwait(false);
    }

    private bool IsLocalOwner(PlacementView view, GrainId grainId)
    {
        var owner = view.GetOwner(grainId);
        return owner is not null && owner.Equals(_status.SiloAddress);
    }
}
