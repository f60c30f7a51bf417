using System.Diagnostics.Metrics;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// The membership instruments (meter <see cref="RuntimeMetrics.MeterName"/>), on every process that keeps a membership
/// view, silos (<see cref="MembershipAgent"/>) and gateways (<see cref="MembershipClient"/>) alike: the silos of the
/// current view by status, the views this process published and the status changes they carried, and failed probes.
/// </summary>
/// <remarks>
/// Views are counted where both roles publish them (<see cref="MembershipView.Publish"/>, under its lock, so in version
/// order); that is rare, so the walk over the rows costs nothing that matters. Status tag values are the
/// <see cref="SiloStatus"/> names in snake case (<c>active</c>, <c>shutting_down</c>, …).
/// </remarks>
internal sealed class MembershipMetrics
{
    // Indexed by SiloStatus: the tag pairs are built once, so recording allocates nothing.
    private static readonly KeyValuePair<string, object?>[] s_statusTags = CreateStatusTags();

    // The statuses a row can have, reported at every scrape (0 included) so a series does not vanish when it empties.
    private static readonly SiloStatus[] s_rowStatuses = [SiloStatus.Joining, SiloStatus.Active, SiloStatus.ShuttingDown, SiloStatus.Stopping, SiloStatus.Dead];

    private static readonly KeyValuePair<string, object?> s_direct = new("kind", "direct");
    private static readonly KeyValuePair<string, object?> s_indirect = new("kind", "indirect");

    private readonly Counter<long> _viewChanges;
    private readonly Counter<long> _statusChanges;
    private readonly Counter<long> _probeFailures;
    private volatile MembershipSnapshot? _current;

    public MembershipMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(RuntimeMetrics.MeterName);
        meter.CreateObservableGauge(
            "cluster.membership.silos", ObserveSilos, "{silo}", "Silos in this process's membership view, by status.");
        _viewChanges = meter.CreateCounter<long>(
            "cluster.membership.view.changes", "{change}", "Newer membership views this process published.");
        _statusChanges = meter.CreateCounter<long>(
            "cluster.membership.status.changes", "{change}", "Silos whose status differs from the previous view (a new silo counts), by new status.");
        _probeFailures = meter.CreateCounter<long>(
            "cluster.membership.probe.failures", "{probe}", "Probes of other silos that this silo missed, by kind (direct, indirect).");
    }

    /// <summary>The status tag value of <paramref name="status"/>: <c>active</c>, <c>shutting_down</c>, ….</summary>
    public static string StatusName(SiloStatus status) => status switch
    {
        SiloStatus.None => "none",
        SiloStatus.Created => "created",
        SiloStatus.Joining => "joining",
        SiloStatus.Active => "active",
        SiloStatus.ShuttingDown => "shutting_down",
        SiloStatus.Stopping => "stopping",
        SiloStatus.Dead => "dead",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// This process published <paramref name="current"/>, newer than <paramref name="previous"/>: one view change, and
    /// one status change per silo whose status differs (a silo absent from <paramref name="previous"/> counts; a row
    /// that disappeared does not).
    /// </summary>
    public void ViewPublished(MembershipSnapshot previous, MembershipSnapshot current)
    {
        _current = current;
        _viewChanges.Add(1);
        foreach (var entry in current.Entries)
        {
            if (previous.GetStatus(entry.SiloAddress) != entry.Status)
            {
                _statusChanges.Add(1, StatusTag(entry.Status));
            }
        }
    }

    /// <summary>A probe of another silo failed (timed out, refused or not reached through the intermediary).</summary>
    public void ProbeFailed(bool indirect) => _probeFailures.Add(1, indirect ? s_indirect : s_direct);

    private static KeyValuePair<string, object?>[] CreateStatusTags()
    {
        var tags = new KeyValuePair<string, object?>[(int)Enum.GetValues<SiloStatus>().Max() + 1];
        for (var i = 0; i < tags.Length; i++)
        {
            tags[i] = new KeyValuePair<string, object?>("status", StatusName((SiloStatus)i));
        }

        return tags;
    }

    private static KeyValuePair<string, object?> StatusTag(SiloStatus status)
        => (uint)status < (uint)s_statusTags.Length ? s_statusTags[(int)status] : new("status", StatusName(status));

    private List<Measurement<int>> ObserveSilos()
    {
        // Nothing before the first view: a process that keeps none (an embedded silo) reports no series.
        if (_current is not { } view)
        {
            return [];
        }

        Span<int> counts = stackalloc int[s_statusTags.Length];
        foreach (var entry in view.Entries)
        {
            if ((uint)entry.Status < (uint)counts.Length)
            {
                counts[(int)entry.Status]++;
            }
        }

        var measurements = new List<Measurement<int>>(s_rowStatuses.Length);
        foreach (var status in s_rowStatuses)
        {
            measurements.Add(new Measurement<int>(counts[(int)status], StatusTag(status)));
        }

        return measurements;
    }
}
