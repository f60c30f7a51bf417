using Cluster.Routing.Hosting;

namespace Cluster.Grains.Routing;

/// <summary>
/// The revalidator while nothing is cached: route responses are not cached yet (response caching is a later issue),
/// so there is nothing to drop and revalidation completes at once. The caching issue replaces this registration with
/// one that fans out to every owner and completes when all have confirmed.
/// </summary>
internal sealed class LocalRouteRevalidator : IRouteRevalidator
{
    public Task RevalidatePathAsync(string path, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RevalidateTagAsync(string tag, CancellationToken cancellationToken) => Task.CompletedTask;
}
