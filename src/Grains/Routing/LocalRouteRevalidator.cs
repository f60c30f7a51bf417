using Cluster.Routing.Hosting;

namespace Cluster.Grains.Routing;

/// <summary>
/// The revalidator of a process that hosts route grains without the route cache's revalidation
/// (<c>AddRouteCacheRevalidation</c>): with nothing cached there is nothing to drop, so revalidation completes at once.
/// <c>AddRouteCacheRevalidation</c> replaces it with the cluster-wide revalidator, which completes only once every owner
/// concerned confirmed.
/// </summary>
internal sealed class LocalRouteRevalidator : IRouteRevalidator
{
    public Task RevalidatePathAsync(string path, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RevalidateTagAsync(string tag, CancellationToken cancellationToken) => Task.CompletedTask;
}
