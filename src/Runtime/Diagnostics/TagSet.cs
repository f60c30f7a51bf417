namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// One series' tags, copied once when the tag set is first seen and sorted by name so that the same tags in another
/// order are the same series. The rendered label text is built at the first scrape and kept.
/// </summary>
internal sealed class TagSet
{
    public static readonly TagSet Empty = new([], 0);

    private string? _labels;
    private IReadOnlyDictionary<string, string>? _values;

    private TagSet(KeyValuePair<string, object?>[] tags, int hashCode)
    {
        Tags = tags;
        HashCode = hashCode;
    }

    public KeyValuePair<string, object?>[] Tags { get; }

    public int HashCode { get; }

    /// <summary>The tags as Prometheus labels without braces (<c>a="1",b="2"</c>); empty for no tags.</summary>
    public string Labels => _labels ??= PrometheusText.FormatLabels(Tags);

    /// <summary>
    /// The tags by their own (OpenTelemetry) names, values formatted as the label values are, for an
    /// <see cref="IMetricsReader"/>. Built at the first read and kept, like <see cref="Labels"/>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Values => _values ??= FormatValues(Tags);

    public static TagSet Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty)
        {
            return Empty;
        }

        var copy = tags.ToArray();
        Array.Sort(copy, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        return new TagSet(copy, Hash(tags));
    }

    /// <summary>Order-independent: the sum of each tag's hash, so tags passed in any order find the same series.</summary>
    public static int Hash(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var hash = 0;
        foreach (var tag in tags)
        {
            hash += System.HashCode.Combine(tag.Key, tag.Value);
        }

        return hash;
    }

    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != Tags.Length)
        {
            return false;
        }

        // Tag sets are small (a handful of tags): a scan per tag beats sorting the incoming span.
        foreach (var tag in tags)
        {
            if (!Contains(tag))
            {
                return false;
            }
        }

        return true;
    }

    private bool Contains(KeyValuePair<string, object?> tag)
    {
        foreach (var own in Tags)
        {
            if (string.Equals(own.Key, tag.Key, StringComparison.Ordinal) && Equals(own.Value, tag.Value))
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<string, string> FormatValues(KeyValuePair<string, object?>[] tags)
    {
        var values = new Dictionary<string, string>(tags.Length, StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            // Tags with the same name in one measurement are not merged in the text either; the first one is kept here.
            values.TryAdd(tag.Key, PrometheusText.FormatTagValue(tag.Value));
        }

        return values;
    }
}
