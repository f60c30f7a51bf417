namespace Cluster.Grains.Matching;

/// <summary>
/// Next.js's route priority (spec §1.3): segment by segment from the left, static &lt; <c>[param]</c> &lt;
/// <c>[...catchAll]</c> &lt; <c>[[...optional]]</c>; equal kinds compare their text ordinally (UTF-16 code units, as
/// the JS default sort in <c>getSortedRoutes</c> does); a pattern that ends earlier sorts first.
/// </summary>
/// <remarks>
/// Used for <see cref="RouteTable.Routes"/>, for the stable <see cref="RouteEntry.Index"/> and by the regex reference
/// matcher; the trie reaches the same first match without sorting, by trying children in the same priority.
/// </remarks>
internal sealed class RoutePatternComparer : IComparer<RoutePattern>
{
    private RoutePatternComparer()
    {
    }

    /// <summary>The single instance.</summary>
    public static RoutePatternComparer Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(RoutePattern? x, RoutePattern? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var left = x.Segments;
        var right = y.Segments;
        var common = Math.Min(left.Length, right.Length);
        for (var i = 0; i < common; i++)
        {
            var byKind = left[i].Kind.CompareTo(right[i].Kind);
            if (byKind != 0)
            {
                return byKind;
            }

            var byText = string.CompareOrdinal(left[i].Value, right[i].Value);
            if (byText != 0)
            {
                return byText;
            }
        }

        return left.Length.CompareTo(right.Length);
    }
}
