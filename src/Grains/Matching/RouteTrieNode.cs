using System.Diagnostics.CodeAnalysis;

namespace Cluster.Grains.Matching;

/// <summary>
/// One node of the dynamic-route trie: the routes whose patterns share the segments leading here. Mutable only while
/// <see cref="RouteTable.Build"/> runs; never changed once the table is published.
/// </summary>
/// <remarks>
/// Mirrors Next.js's <c>UrlNode</c>: any number of static children, at most one <c>[param]</c> child, one
/// <c>[...catchAll]</c> and one <c>[[...optional]]</c> (catch-alls are always last, so they are entries, not nodes).
/// </remarks>
internal sealed class RouteTrieNode
{
    // Up to this many static children are searched linearly: comparing a few short spans is cheaper than hashing
    // the segment (the same trade-off as ASP.NET Core's DFA jump tables).
    private const int LinearSearchLimit = 6;

    private Dictionary<string, RouteTrieNode>? _staticChildren;

    // Kept beside the dictionary so a lookup by a slice of the request path allocates no string.
    private Dictionary<string, RouteTrieNode>.AlternateLookup<ReadOnlySpan<char>> _staticLookup;

    // Set by Freeze when there are few static children; then used instead of the dictionary.
    private string[]? _linearKeys;
    private RouteTrieNode[]? _linearChildren;

    /// <summary>The <c>[param]</c> child, if any.</summary>
    public RouteTrieNode? ParamChild { get; private set; }

    /// <summary>The name of <see cref="ParamChild"/>'s param.</summary>
    public string? ParamName { get; private set; }

    /// <summary>The dynamic route whose pattern ends exactly at this node.</summary>
    public RouteEntry? Terminal { get; set; }

    /// <summary>The <c>[...x]</c> route at this level (one or more remaining segments).</summary>
    public RouteEntry? CatchAll { get; set; }

    /// <summary>The <c>[[...x]]</c> route at this level (zero or more remaining segments).</summary>
    public RouteEntry? OptionalCatchAll { get; set; }

    /// <summary>Finds the static child for one raw path segment; case-sensitive, ordinal.</summary>
    public bool TryGetStaticChild(ReadOnlySpan<char> segment, [MaybeNullWhen(false)] out RouteTrieNode child)
    {
        if (_linearKeys is { } keys)
        {
            for (var i = 0; i < keys.Length; i++)
            {
                if (segment.SequenceEqual(keys[i]))
                {
                    child = _linearChildren![i];
                    return true;
                }
            }

            child = null;
            return false;
        }

        if (_staticChildren is null)
        {
            child = null;
            return false;
        }

        return _staticLookup.TryGetValue(segment, out child);
    }

    /// <summary>Picks the lookup strategy of this node and its descendants once the trie is complete (build time).</summary>
    public void Freeze()
    {
        if (_staticChildren is { Count: <= LinearSearchLimit } children)
        {
            _linearKeys = [.. children.Keys];
            _linearChildren = [.. children.Values];
        }

        foreach (var child in _staticChildren?.Values ?? Enumerable.Empty<RouteTrieNode>())
        {
            child.Freeze();
        }

        ParamChild?.Freeze();
    }

    /// <summary>Gets or adds the static child for a literal segment (build time).</summary>
    public RouteTrieNode GetOrAddStaticChild(string segment)
    {
        if (_staticChildren is null)
        {
            _staticChildren = new Dictionary<string, RouteTrieNode>(StringComparer.Ordinal);
            _staticLookup = _staticChildren.GetAlternateLookup<ReadOnlySpan<char>>();
        }

        if (!_staticChildren.TryGetValue(segment, out var child))
        {
            child = new RouteTrieNode();
            _staticChildren.Add(segment, child);
        }

        return child;
    }

    /// <summary>
    /// Gets or adds the <c>[param]</c> child (build time). Returns <see langword="false"/> with the existing name
    /// when a sibling param has another name, which Next.js rejects ("different slug names").
    /// </summary>
    public bool TryGetOrAddParamChild(string name, out RouteTrieNode child, [NotNullWhen(false)] out string? existingName)
    {
        if (ParamChild is null)
        {
            ParamChild = new RouteTrieNode();
            ParamName = name;
        }

        child = ParamChild;
        if (!string.Equals(ParamName, name, StringComparison.Ordinal))
        {
            existingName = ParamName!;
            return false;
        }

        existingName = null;
        return true;
    }
}
