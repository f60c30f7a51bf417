namespace Cluster.Routing.Hosting;

/// <summary>The runtime's side of <see cref="RouteContext.RevalidatePathAsync"/> and <see cref="RouteContext.RevalidateTagAsync"/>.</summary>
public interface IRouteRevalidator
{
    /// <summary>Drops the cached response of a path on every owner; completes when all have confirmed.</summary>
    Task RevalidatePathAsync(string path, CancellationToken cancellationToken);

    /// <summary>Drops every cached response tagged <paramref name="tag"/> on every owner; completes when all have confirmed.</summary>
    Task RevalidateTagAsync(string tag, CancellationToken cancellationToken);
}
