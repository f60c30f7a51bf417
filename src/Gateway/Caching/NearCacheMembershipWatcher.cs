using Cluster.Runtime.Membership;

namespace Cluster.Gateway.Caching;

/// <summary>
/// Empties the near-cache on every new membership view: a view change can move a route to another owner, which knows
/// nothing of the copies this gateway holds and so would never invalidate them. A hosted service rather than a
/// subscription in <see cref="GatewayNearCache"/>'s constructor, so the near-cache (which the transport resolves as a
/// connection-loss observer) does not depend on the membership, which depends on the transport.
/// </summary>
internal sealed class NearCacheMembershipWatcher : IHostedService
{
    private readonly GatewayNearCache _nearCache;
    private readonly IClusterMembership? _membership;
    private readonly Action<MembershipSnapshot> _onChanged;

    /// <param name="nearCache">The near-cache to empty.</param>
    /// <param name="membership">The membership view, when this process has one (a gateway always does; a test host may not).</param>
    public NearCacheMembershipWatcher(GatewayNearCache nearCache, IClusterMembership? membership = null)
    {
        _nearCache = nearCache;
        _membership = membership;
        _onChanged = OnChanged;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_membership is not null && _nearCache.Enabled)
        {
            _membership.Changed += _onChanged;
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (_membership is not null)
        {
            _membership.Changed -= _onChanged;
        }

        return Task.CompletedTask;
    }

    private void OnChanged(MembershipSnapshot view) => _nearCache.Clear(NearCacheClearReason.MembershipChanged);
}
