namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// A tag set by the identity of its objects (the very key strings and value objects a call site passes, in its order)
/// and the series it found by value: the fast path of <see cref="SeriesMap{TSeries}"/>.
/// </summary>
internal sealed class IdentityTagEntry<TSeries>
    where TSeries : class
{
    private readonly KeyValuePair<string, object?>[] _tags;

    public IdentityTagEntry(ReadOnlySpan<KeyValuePair<string, object?>> tags, TSeries series)
    {
        _tags = tags.ToArray();
        Series = series;
    }

    public TSeries Series { get; }

    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var own = _tags;
        if (own.Length != tags.Length)
        {
            return false;
        }

        for (var i = 0; i < own.Length; i++)
        {
            if (!ReferenceEquals(own[i].Key, tags[i].Key) || !ReferenceEquals(own[i].Value, tags[i].Value))
            {
                return false;
            }
        }

        return true;
    }
}
