namespace Cluster.Generators.Routing;

/// <summary>The kinds of route-tree faults.</summary>
internal enum RouteTreeErrorKind
{
    /// <summary>A Next.js <c>getSortedRoutes</c> rule is broken.</summary>
    InvalidTree,

    /// <summary>Two route files normalise to the same pattern.</summary>
    DuplicateUrl,
}
