namespace Cluster.Grains.Matching;

/// <summary>
/// The kind of one segment of a route pattern. The numeric order is Next.js's priority order
/// (static &lt; <c>[param]</c> &lt; <c>[...catchAll]</c> &lt; <c>[[...optional]]</c>), which the comparer relies on.
/// </summary>
internal enum RouteSegmentKind
{
    /// <summary>A literal segment such as <c>api</c>.</summary>
    Static = 0,

    /// <summary><c>[name]</c>: exactly one non-empty segment.</summary>
    Param = 1,

    /// <summary><c>[...name]</c>: one or more segments; always last.</summary>
    CatchAll = 2,

    /// <summary><c>[[...name]]</c>: zero or more segments; always last.</summary>
    OptionalCatchAll = 3,
}
