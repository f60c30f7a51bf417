namespace Cluster.Generators.Routing;

/// <summary>What a route file's folder path means for routing.</summary>
internal enum RoutePathKind
{
    /// <summary>A routable file with a pattern.</summary>
    Route,

    /// <summary>Inside a private (<c>_folder</c>) folder: skipped silently, as Next.js does.</summary>
    Private,

    /// <summary>Not under the app's <c>app/</c> folder.</summary>
    OutsideApp,

    /// <summary>A folder form route handlers cannot use.</summary>
    Unsupported,
}
