using Cluster.Routing.Hosting;

namespace Cluster.Grains.Matching;

/// <summary>One route of a <see cref="RouteTable"/>: its definition and parsed pattern.</summary>
internal sealed class RouteEntry
{
    internal RouteEntry(RouteDefinition definition, RoutePattern pattern, int index)
    {
        Definition = definition;
        Pattern = pattern;
        Index = index;
    }

    /// <summary>The route as the app declared it.</summary>
    public RouteDefinition Definition { get; }

    /// <summary>The parsed pattern.</summary>
    public RoutePattern Pattern { get; }

    /// <summary>
    /// The route's position in Next.js's sorted order (<see cref="RouteTable.Routes"/>); stable for the same set of
    /// patterns whatever order they were given in, so it can key per-route arrays such as metrics.
    /// </summary>
    public int Index { get; }

    /// <inheritdoc />
    public override string ToString() => Pattern.Text;
}
