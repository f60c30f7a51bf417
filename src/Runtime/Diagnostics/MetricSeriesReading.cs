namespace Cluster.Runtime.Diagnostics;

/// <summary>One series of an instrument: its tags (values as text, the way they are exported) and its value.</summary>
/// <param name="Tags">The tags by their OpenTelemetry names (e.g. <c>http.route</c>), values formatted as in the exposition.</param>
/// <param name="Value">The total (counter), the current value (gauge) or the count of measurements (histogram).</param>
/// <param name="Histogram">The buckets of a histogram series; null for other kinds.</param>
public sealed record MetricSeriesReading(
    IReadOnlyDictionary<string, string> Tags, double Value, HistogramReading? Histogram)
{
    /// <summary>Whether the series has every pair of <paramref name="tags"/>.</summary>
    public bool Matches(ReadOnlySpan<KeyValuePair<string, string>> tags)
    {
        foreach (var (key, value) in tags)
        {
            if (!Tags.TryGetValue(key, out var own) || !string.Equals(own, value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The value of tag <paramref name="key"/>, or null.</summary>
    public string? Tag(string key) => Tags.GetValueOrDefault(key);
}
