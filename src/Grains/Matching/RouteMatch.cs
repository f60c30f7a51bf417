namespace Cluster.Grains.Matching;

/// <summary>
/// The result of <see cref="RouteTable.TryMatch(string, out RouteMatch)"/>. A struct holding only the entry: the
/// captured params are recomputed by <see cref="RouteTable.GetParams"/> from the pattern's shape, so a match itself
/// allocates nothing.
/// </summary>
internal readonly struct RouteMatch
{
    internal RouteMatch(RouteEntry entry) => Entry = entry;

    /// <summary>The matched route; <see langword="null"/> only for <see langword="default"/>.</summary>
    public RouteEntry Entry { get; }

    /// <summary>Whether this is a real match rather than <see langword="default"/>.</summary>
    public bool Success => Entry is not null;

    /// <inheritdoc />
    public override string ToString() => Entry?.Pattern.Text ?? "(no match)";
}
