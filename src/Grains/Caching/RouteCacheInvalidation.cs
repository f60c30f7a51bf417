using Cluster.Runtime;

namespace Cluster.Grains.Caching;

/// <summary>
/// A request to a route grain (message <c>route-cache.invalidate.v1</c>): drop one cached path of the route, or all of
/// them. Answered once the owner dropped its entries and every gateway near-cache that might hold a copy confirmed it
/// dropped that copy too.
/// </summary>
[AlwaysInterleave]
public sealed class RouteCacheInvalidation
{
    /// <summary>The normalised path to drop, or <c>null</c> for every entry of the route (a tag or a whole-route revalidation).</summary>
    public string? Path { get; init; }
}
