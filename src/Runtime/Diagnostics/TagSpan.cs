namespace Cluster.Runtime.Diagnostics;

/// <summary>A measurement's tags as the listener passes them: the alternate key that finds a series without allocating.</summary>
internal readonly ref struct TagSpan
{
    public TagSpan(ReadOnlySpan<KeyValuePair<string, object?>> tags) => Tags = tags;

    public ReadOnlySpan<KeyValuePair<string, object?>> Tags { get; }
}
