using System.Diagnostics.Metrics;
using Cluster.Runtime.Activation;

namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// The silo's own gauges (meter <c>Cluster.Runtime</c>), read at each scrape so they cost nothing between scrapes:
/// activations by grain type. (Messages, queue lengths and membership events are issue 6's next step.)
/// </summary>
internal sealed class RuntimeMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Cluster.Runtime";

    private readonly ActivationCatalog _catalog;

    public RuntimeMetrics(IMeterFactory meterFactory, ActivationCatalog catalog)
    {
        _catalog = catalog;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge(
            "cluster.grain.activations", ObserveActivations, "{activation}", "Activations on this silo, by grain type.");
    }

    private IEnumerable<Measurement<int>> ObserveActivations()
        => _catalog.Activations
            .GroupBy(static a => a.GrainId.Type.Name ?? string.Empty, StringComparer.Ordinal)
            .Select(static g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("grain.type", g.Key)))
            .ToList();
}
