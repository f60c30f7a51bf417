using Cluster.Runtime.Hosting;
using Cluster.Runtime.Membership;

namespace Cluster.Gateway.Dashboard;

/// <summary>
/// The last <see cref="Capacity"/> silo status changes this gateway saw, for the dashboard's membership events. Always on
/// from the gateway's start (a dashboard opened after a silo died still shows the death): it compares each new view
/// with the previous one, which costs a few dictionary lookups per view, and views change rarely.
/// </summary>
internal sealed class MembershipEventLog : IHostedService
{
    /// <summary>How many events are kept.</summary>
    public const int Capacity = 100;

    private readonly IClusterMembership? _membership;
    private readonly TimeProvider _time;
    private readonly Action<MembershipSnapshot> _onChanged;
    private readonly Lock _lock = new();
    private readonly DashboardMembershipEvent[] _ring = new DashboardMembershipEvent[Capacity];
    private MembershipSnapshot _previous = MembershipSnapshot.Empty;
    private long _total;

    /// <param name="time">Stamps the events.</param>
    /// <param name="membership">The view to follow, when this process has one (a gateway always does; a test host may not).</param>
    public MembershipEventLog(TimeProvider time, IClusterMembership? membership = null)
    {
        _time = time;
        _membership = membership;
        _onChanged = Observe;
    }

    /// <summary>Events recorded since the gateway started.</summary>
    public long Total
    {
        get
        {
            lock (_lock)
            {
                return _total;
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_membership is not null)
        {
            _membership.Changed += _onChanged;

            // The views published before this subscription (the silo joins while the host starts) count from here.
            Observe(_membership.Current);
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

    /// <summary>The kept events, newest first.</summary>
    public DashboardMembershipEvent[] Snapshot()
    {
        lock (_lock)
        {
            var count = (int)Math.Min(_total, Capacity);
            var result = new DashboardMembershipEvent[count];
            for (var i = 0; i < count; i++)
            {
                result[i] = _ring[(int)((_total - 1 - i) % Capacity)];
            }

            return result;
        }
    }

    /// <summary>Records what changed between the last view observed and <paramref name="view"/> (ignored unless newer).</summary>
    internal void Observe(MembershipSnapshot view)
    {
        lock (_lock)
        {
            var previous = _previous;
            if (view.Version <= previous.Version)
            {
                return;
            }

            var at = _time.GetUtcNow();
            foreach (var entry in view.Entries)
            {
                var before = previous.GetStatus(entry.SiloAddress);
                if (before != entry.Status)
                {
                    Add(new DashboardMembershipEvent(
                        at, entry.SiloAddress.ToString(), SiloStatusNames.Of(entry.Status), before == SiloStatus.None ? null : SiloStatusNames.Of(before)));
                }
            }

            foreach (var entry in previous.Entries)
            {
                if (!view.TryGetEntry(entry.SiloAddress, out _))
                {
                    Add(new DashboardMembershipEvent(at, entry.SiloAddress.ToString(), SiloStatusNames.Removed, SiloStatusNames.Of(entry.Status)));
                }
            }

            _previous = view;
        }
    }

    private void Add(DashboardMembershipEvent change)
    {
        _ring[(int)(_total % Capacity)] = change;
        _total++;
    }
}
