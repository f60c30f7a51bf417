namespace Cluster.Generators.Routing;

/// <summary>A route file's folder path turned into a URL pattern.</summary>
/// <param name="Kind">Whether the file is routable.</param>
/// <param name="SourceFile">The file relative to the app's directory (<c>app/...</c>), or the given path when outside it.</param>
/// <param name="Pattern">The normalised pattern when <see cref="RoutePathKind.Route"/>, else null.</param>
/// <param name="Folder">The offending folder when <see cref="RoutePathKind.Unsupported"/>.</param>
/// <param name="Reason">Why that folder is not supported.</param>
internal sealed record RoutePathResult(RoutePathKind Kind, string SourceFile, string? Pattern, string? Folder = null, string? Reason = null);
