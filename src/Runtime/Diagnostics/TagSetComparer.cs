namespace Cluster.Runtime.Diagnostics;

/// <summary>Compares stored tag sets with each other and with a measurement's <see cref="TagSpan"/> (the alternate key).</summary>
internal sealed class TagSetComparer : IEqualityComparer<TagSet>, IAlternateEqualityComparer<TagSpan, TagSet>
{
    public static readonly TagSetComparer Instance = new();

    private TagSetComparer()
    {
    }

    public bool Equals(TagSet? x, TagSet? y)
        => ReferenceEquals(x, y) || (x is not null && y is not null && x.HashCode == y.HashCode && x.Matches(y.Tags));

    public int GetHashCode(TagSet obj) => obj.HashCode;

    public bool Equals(TagSpan alternate, TagSet other) => other.Matches(alternate.Tags);

    public int GetHashCode(TagSpan alternate) => TagSet.Hash(alternate.Tags);

    public TagSet Create(TagSpan alternate) => TagSet.Create(alternate.Tags);
}
