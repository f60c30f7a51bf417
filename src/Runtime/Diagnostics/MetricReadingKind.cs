namespace Cluster.Runtime.Diagnostics;

/// <summary>What a read instrument's values mean.</summary>
public enum MetricReadingKind
{
    /// <summary>A running total that only grows (a counter, an observable counter): <see cref="MetricSeriesReading.Value"/> is the total.</summary>
    Counter,

    /// <summary>A value that goes up and down (an up-down counter, a gauge): <see cref="MetricSeriesReading.Value"/> is the current value.</summary>
    Gauge,

    /// <summary>A histogram: <see cref="MetricSeriesReading.Histogram"/> holds the buckets; <see cref="MetricSeriesReading.Value"/> is the count.</summary>
    Histogram,
}
