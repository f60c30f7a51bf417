using System.Diagnostics.Metrics;
using Cluster.Runtime.Activation;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// A silo's activation gauges (meter <see cref="MeterName"/>), read at each scrape so they cost nothing between scrapes:
/// activations by grain type and requests waiting in activation queues. Only silos have them; the instruments every
/// cluster process has (gateways too) are <see cref="MessagingMetrics"/> and <see cref="MembershipMetrics"/>, on the same meter.
/// </summary>
internal sealed class RuntimeMetrics
{
    /// <summary>The meter's name, shared by <see cref="MessagingMetrics"/> and <see cref="MembershipMetrics"/>.</summary>
    public const string MeterName = "Cluster.Runtime";

    private readonly ActivationCatalog _catalog;

    public RuntimeMetrics(IMeterFactory meterFactory, ActivationCatalog catalog)
    {
        _catalog = catalog;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge(
            "cluster.grain.activations", ObserveActivations, "{activation}", "Activations on this silo, by grain type.");

        // A sum of the queues' own counts at scrape time: the call path keeps no counter for it.
        meter.CreateObservableGauge(
            "cluster.activation.queue.length", () => _catalog.QueuedRequests, "{request}", "Requests waiting in this silo's activation queues.");
    }

    private IEnumerable<Measurement<int>> ObserveActivations()
        => _catalog.Activations
            .GroupBy(static a => a.GrainId.Type.Name ?? string.Empty, StringComparer.Ordinal)
            .Select(static g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("grain.type", g.Key)))
            .ToList();
}
