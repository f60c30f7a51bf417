namespace Cluster.Runtime.Diagnostics;

/// <summary>One instrument's series at a reading.</summary>
/// <param name="Name">The instrument's OpenTelemetry name (e.g. <c>cluster.grain.activations</c>).</param>
/// <param name="MeterName">The meter it belongs to (e.g. <c>Cluster.Runtime</c>).</param>
/// <param name="Unit">Its unit (e.g. <c>s</c>, <c>{request}</c>), or null.</param>
/// <param name="Kind">What its values mean.</param>
/// <param name="Series">One entry per tag set.</param>
public sealed record MetricInstrumentReading(
    string Name, string MeterName, string? Unit, MetricReadingKind Kind, IReadOnlyList<MetricSeriesReading> Series)
{
    /// <summary>The sum of <see cref="MetricSeriesReading.Value"/> over the series whose tags include every pair of <paramref name="tags"/>.</summary>
    public double Sum(params ReadOnlySpan<KeyValuePair<string, string>> tags)
    {
        var sum = 0d;
        foreach (var series in Series)
        {
            if (series.Matches(tags))
            {
                sum += series.Value;
            }
        }

        return sum;
    }
}
