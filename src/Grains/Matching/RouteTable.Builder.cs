using Cluster.Routing.Hosting;

namespace Cluster.Grains.Matching;

// Building and validating the table: every error is collected before anything is thrown.
internal sealed partial class RouteTable
{
    /// <summary>
    /// Compiles a route table. Every problem is collected (malformed pattern, duplicate pattern, and the tree rules
    /// of Next.js's <c>getSortedRoutes</c>: different slug names at one level, a required and an optional catch-all
    /// at one level, a route with the same specificity as an optional catch-all) and thrown as one exception.
    /// </summary>
    /// <exception cref="RouteTableException">The routes are invalid; <see cref="RouteTableException.Errors"/> lists why.</exception>
    public static RouteTable Build(IReadOnlyList<RouteDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);

        var errors = new List<string>();
        var parsed = new List<(RouteDefinition Definition, RoutePattern Pattern)>(definitions.Count);
        var patterns = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definitions.Count; i++)
        {
            var definition = definitions[i];
            if (definition is null)
            {
                errors.Add($"Route #{i} is null.");
                continue;
            }

            if (!RoutePattern.TryParse(definition.Pattern, out var pattern, out var error))
            {
                errors.Add($"{error} ({definition.SourceFile})");
                continue;
            }

            if (!patterns.Add(pattern.Text))
            {
                errors.Add($"The pattern '{pattern.Text}' is defined more than once ({definition.SourceFile}).");
                continue;
            }

            parsed.Add((definition, pattern));
        }

        parsed.Sort(static (x, y) => RoutePatternComparer.Instance.Compare(x.Pattern, y.Pattern));

        var entries = new RouteEntry[parsed.Count];
        var staticRoutes = new Dictionary<string, RouteEntry>(StringComparer.Ordinal);
        var root = new RouteTrieNode();
        var dynamicCount = 0;
        for (var i = 0; i < parsed.Count; i++)
        {
            var entry = new RouteEntry(parsed[i].Definition, parsed[i].Pattern, i);
            entries[i] = entry;
            if (entry.Pattern.IsStatic)
            {
                staticRoutes.Add(entry.Pattern.Text, entry);
                continue;
            }

            CheckOptionalCatchAllSpecificity(entry.Pattern, patterns, errors);
            Insert(root, entry, errors);
            dynamicCount++;
        }

        if (errors.Count > 0)
        {
            throw new RouteTableException(errors);
        }

        root.Freeze();
        return new RouteTable(entries, staticRoutes, dynamicCount == 0 ? null : root);
    }

    private static void CheckOptionalCatchAllSpecificity(RoutePattern pattern, HashSet<string> patterns, List<string> errors)
    {
        // "/x" and "/x/[[...all]]" would both serve "/x".
        if (pattern.Segments[^1].Kind != RouteSegmentKind.OptionalCatchAll)
        {
            return;
        }

        var lastSlash = pattern.Text.LastIndexOf('/');
        var parent = lastSlash == 0 ? "/" : pattern.Text[..lastSlash];
        if (patterns.Contains(parent))
        {
            errors.Add(
                $"You cannot define a route with the same specificity as an optional catch-all route (\"{parent}\" and \"{pattern.Text}\").");
        }
    }

    private static void Insert(RouteTrieNode root, RouteEntry entry, List<string> errors)
    {
        var node = root;
        foreach (var segment in entry.Pattern.Segments)
        {
            switch (segment.Kind)
            {
                case RouteSegmentKind.Static:
                    node = node.GetOrAddStaticChild(segment.Value);
                    break;

                case RouteSegmentKind.Param:
                    if (!node.TryGetOrAddParamChild(segment.Value, out node, out var existing))
                    {
                        errors.Add(DifferentSlugNames(existing, segment.Value, entry));
                        return;
                    }

                    break;

                case RouteSegmentKind.CatchAll:
                    if (node.OptionalCatchAll is { } optional)
                    {
                        errors.Add(
                            $"You cannot use both a required and optional catch-all route at the same level (\"{entry.Pattern.Text}\" and \"{optional.Pattern.Text}\").");
                    }
                    else if (node.CatchAll is { } other)
                    {
                        errors.Add(DifferentSlugNames(other.Pattern.Segments[^1].Value, segment.Value, entry));
                    }
                    else
                    {
                        node.CatchAll = entry;
                    }

                    return;

                case RouteSegmentKind.OptionalCatchAll:
                    if (node.CatchAll is { } required)
                    {
                        errors.Add(
                            $"You cannot use both an optional and required catch-all route at the same level (\"{entry.Pattern.Text}\" and \"{required.Pattern.Text}\").");
                    }
                    else if (node.OptionalCatchAll is { } other)
                    {
                        errors.Add(DifferentSlugNames(other.Pattern.Segments[^1].Value, segment.Value, entry));
                    }
                    else
                    {
                        node.OptionalCatchAll = entry;
                    }

                    return;
            }
        }

        // Two dynamic patterns that end at the same node with the same shape would have differed in a param name,
        // which was reported above, so the slot is free here.
        node.Terminal = entry;
    }

    private static string DifferentSlugNames(string existing, string added, RouteEntry entry) =>
        $"You cannot use different slug names for the same dynamic path ('{existing}' !== '{added}') in '{entry.Pattern.Text}' ({entry.Definition.SourceFile}).";
}
