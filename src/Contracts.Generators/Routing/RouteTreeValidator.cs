using System;
using System.Collections.Generic;
using System.Linq;

namespace Cluster.Generators.Routing;

/// <summary>
/// Checks a whole route tree with Next.js's <c>getSortedRoutes</c> rules (nextjs-semantics.md §1.2) plus "one file
/// per URL", and returns every fault rather than the first.
/// </summary>
internal static class RouteTreeValidator
{
    /// <summary>Validates routes in the given order (the order decides which of two clashing routes is reported).</summary>
    /// <param name="entries">The routes.</param>
    public static IReadOnlyList<RouteTreeError> Validate(IEnumerable<RouteTreeEntry> entries)
    {
        var errors = new List<RouteTreeError>();
        var owners = new Dictionary<string, RouteTreeEntry>(StringComparer.Ordinal);
        var root = new RouteTreeNode();
        foreach (var entry in entries)
        {
            if (owners.TryGetValue(entry.Pattern, out var owner))
            {
                errors.Add(new RouteTreeError(
                    RouteTreeErrorKind.DuplicateUrl,
                    $"The route files '{owner.SourceFile}' and '{entry.SourceFile}' both serve the URL '{entry.Pattern}'.",
                    entry.Pattern,
                    entry.SourceFile,
                    owner.SourceFile));
                continue;
            }

            owners.Add(entry.Pattern, entry);
            var message = root.Insert(entry);
            if (message is not null)
            {
                errors.Add(new RouteTreeError(RouteTreeErrorKind.InvalidTree, message, entry.Pattern, entry.SourceFile));
            }
        }

        root.CollectSpecificityErrors("/", errors);
        return errors;
    }

    /// <summary>Validates bare patterns (source files are made up from them), in the given order.</summary>
    /// <param name="patterns">Normalised patterns such as <c>/blog/[id]</c>.</param>
    public static IReadOnlyList<RouteTreeError> Validate(params string[] patterns) =>
        Validate(patterns.Select(pattern => new RouteTreeEntry(pattern, "app" + (pattern == "/" ? string.Empty : pattern) + "/route.cs")));
}
