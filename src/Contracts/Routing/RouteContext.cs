using Cluster.Routing.Hosting;

namespace Cluster.Routing;

/// <summary>What a handler knows about the request beyond the request itself.</summary>
public sealed class RouteContext
{
    private readonly IRouteRevalidator _revalidator;

    /// <summary>Creates a context; the runtime does this for every request.</summary>
    public RouteContext(RouteParams @params, IRouteRevalidator revalidator, CancellationToken aborted)
    {
        ArgumentNullException.ThrowIfNull(@params);
        ArgumentNullException.ThrowIfNull(revalidator);
        Params = @params;
        _revalidator = revalidator;
        Aborted = aborted;
    }

    /// <summary>The matched route's params.</summary>
    public RouteParams Params { get; }

    /// <summary>Fires when the client went away.</summary>
    public CancellationToken Aborted { get; }

    /// <summary>Invalidates the cached response of a path cluster-wide; completes when every owner has dropped it.</summary>
    public Task RevalidatePathAsync(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return _revalidator.RevalidatePathAsync(path, Aborted);
    }

    /// <summary>Invalidates every cached response whose route has this tag, cluster-wide; completes when every owner has dropped it.</summary>
    public Task RevalidateTagAsync(string tag)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        return _revalidator.RevalidateTagAsync(tag, Aborted);
    }
}
