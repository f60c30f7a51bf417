using System;
using System.Collections.Generic;

namespace Cluster.Generators.Routing;

/// <summary>
/// Turns a route file's path into a Next.js pattern (<c>normalizeAppPath</c>): groups vanish, private folders hide
/// their whole subtree, <c>%XX</c> escapes are decoded, dynamic segments stay as written.
/// </summary>
internal static class RoutePath
{
    private static readonly string[] s_interceptionMarkers = ["(...)", "(..)", "(.)"];

    /// <summary>Classifies <paramref name="filePath"/>, a file under <c>&lt;appDirectory&gt;/app/</c>.</summary>
    /// <param name="appDirectory">The app's directory (any separator, trailing slash or not).</param>
    /// <param name="filePath">The route file's absolute path.</param>
    public static RoutePathResult Parse(string appDirectory, string filePath)
    {
        var file = Normalize(filePath);
        var prefix = Normalize(appDirectory).TrimEnd('/') + "/app/";

        // Windows paths may differ in case between MSBuild's item and property, so fall back to a case-insensitive match.
        if (!file.StartsWith(prefix, StringComparison.Ordinal) && !file.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return new RoutePathResult(RoutePathKind.OutsideApp, file, null);
        }

        var relative = file.Substring(prefix.Length);
        var sourceFile = "app/" + relative;
        var parts = relative.Split(['/'], StringSplitOptions.RemoveEmptyEntries);

        // Privacy is decided on the raw folder names first: a private folder hides everything below it, even
        // folders that would otherwise be errors.
        for (var i = 0; i < parts.Length - 1; i++)
        {
            if (parts[i].StartsWith("_", StringComparison.Ordinal))
            {
                return new RoutePathResult(RoutePathKind.Private, sourceFile, null);
            }
        }

        var segments = new List<string>(parts.Length);
        for (var i = 0; i < parts.Length - 1; i++)
        {
            var folder = parts[i];
            if (folder.StartsWith("@", StringComparison.Ordinal))
            {
                return Unsupported(sourceFile, folder, "parallel route slots (@slot) apply to pages, not route handlers");
            }

            if (IsInterception(folder))
            {
                return Unsupported(sourceFile, folder, "intercepting routes ((.)x, (..)x, (...)x) apply to pages, not route handlers");
            }

            if (folder.StartsWith("(", StringComparison.Ordinal) && folder.EndsWith(")", StringComparison.Ordinal))
            {
                continue;
            }

            if (folder.IndexOf('%') >= 0)
            {
                var decoded = Uri.UnescapeDataString(folder);
                if (decoded.IndexOf('/') >= 0)
                {
                    return Unsupported(sourceFile, folder, "an escaped '/' would split the URL segment");
                }

                folder = decoded;
            }

            segments.Add(folder);
        }

        return new RoutePathResult(RoutePathKind.Route, sourceFile, "/" + string.Join("/", segments));
    }

    private static bool IsInterception(string folder)
    {
        foreach (var marker in s_interceptionMarkers)
        {
            if (folder.StartsWith(marker, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static RoutePathResult Unsupported(string sourceFile, string folder, string reason) =>
        new(RoutePathKind.Unsupported, sourceFile, null, folder, reason);

    private static string Normalize(string path) => path.Replace('\\', '/');
}
