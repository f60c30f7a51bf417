using System;
using System.Collections.Generic;
using System.Linq;

namespace Cluster.Generators.Routing;

/// <summary>
/// One segment of the route trie, a port of Next.js's <c>UrlNode</c> (<c>sorted-routes.ts</c>): a node holds any
/// number of static children and at most one <c>[x]</c>, one <c>[...x]</c> and one <c>[[...x]]</c> child. Unlike
/// Next.js, which throws on the first fault, an insertion is checked before it changes the trie, so one bad route
/// neither hides nor causes the faults of the others.
/// </summary>
internal sealed class RouteTreeNode
{
    private const string SlugKey = "[]";
    private const string RestSlugKey = "[...]";
    private const string OptionalRestSlugKey = "[[...]]";

    private readonly Dictionary<string, RouteTreeNode> _children = new(StringComparer.Ordinal);
    private string? _slugName;
    private string? _restSlugName;
    private string? _optionalRestSlugName;

    // The route that ends at this node; null for a node that is only a prefix of other routes (Next's placeholder).
    private RouteTreeEntry? _route;

    /// <summary>Inserts a route, or returns Next.js's message for why it cannot be inserted (the trie is then unchanged).</summary>
    /// <param name="entry">The route.</param>
    public string? Insert(RouteTreeEntry entry)
    {
        var segments = entry.Pattern.Split(['/'], StringSplitOptions.RemoveEmptyEntries);
        return Insert(segments, 0, [], isCatchAll: false, entry, commit: false)
            ?? Insert(segments, 0, [], isCatchAll: false, entry, commit: true);
    }

    /// <summary>
    /// Reports every route that has the same specificity as an optional catch-all beside it (<c>/x</c> and
    /// <c>/x/[[...all]]</c>), the fault Next.js finds while flattening the trie.
    /// </summary>
    /// <param name="prefix">This node's path with a trailing slash; <c>/</c> for the root.</param>
    /// <param name="errors">Receives the faults.</param>
    public void CollectSpecificityErrors(string prefix, List<RouteTreeError> errors)
    {
        if (_route is not null && _optionalRestSlugName is not null)
        {
            var route = prefix == "/" ? "/" : prefix.Substring(0, prefix.Length - 1);
            var optional = _children[OptionalRestSlugKey]._route ?? _route;
            errors.Add(new RouteTreeError(
                RouteTreeErrorKind.InvalidTree,
                $"You cannot define a route with the same specificity as an optional catch-all route (\"{route}\" and \"{prefix}[[...{_optionalRestSlugName}]]\").",
                optional.Pattern,
                optional.SourceFile,
                _route.SourceFile));
        }

        foreach (var pair in _children.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            var segment = pair.Key switch
            {
                SlugKey => "[" + _slugName + "]",
                RestSlugKey => "[..." + _restSlugName + "]",
                OptionalRestSlugKey => "[[..." + _optionalRestSlugName + "]]",
                _ => pair.Key,
            };
            pair.Value.CollectSpecificityErrors(prefix + segment + "/", errors);
        }
    }

    // Next.js's _insert. With commit false it only checks (walking throw-away nodes where the trie has none yet);
    // with commit true it records slug names, children and the route.
    private string? Insert(string[] segments, int index, List<string> slugNames, bool isCatchAll, RouteTreeEntry entry, bool commit)
    {
        if (index == segments.Length)
        {
            if (commit)
            {
                _route ??= entry;
            }

            return null;
        }

        if (isCatchAll)
        {
            return "Catch-all must be the last part of the URL.";
        }

        var segment = segments[index];
        var key = segment;
        if (segment.Length >= 2 && segment[0] == '[' && segment[segment.Length - 1] == ']')
        {
            var name = segment.Substring(1, segment.Length - 2);
            var isOptional = false;
            if (name.Length >= 2 && name[0] == '[' && name[name.Length - 1] == ']')
            {
                name = name.Substring(1, name.Length - 2);
                isOptional = true;
            }

            if (name.StartsWith("\u2026", StringComparison.Ordinal))
            {
                return $"Detected a three-dot character ('\u2026') at ('{name}'). Did you mean ('...')?";
            }

            if (name.StartsWith("...", StringComparison.Ordinal))
            {
                name = name.Substring(3);
                isCatchAll = true;
            }

            if (name.StartsWith("[", StringComparison.Ordinal) || name.EndsWith("]", StringComparison.Ordinal))
            {
                return $"Segment names may not start or end with extra brackets ('{name}').";
            }

            if (name.StartsWith(".", StringComparison.Ordinal))
            {
                return $"Segment names may not start with erroneous periods ('{name}').";
            }

            string? error;
            if (isCatchAll && isOptional)
            {
                if (_restSlugName is not null)
                {
                    return $"You cannot use both a required and optional catch-all route at the same level (\"[...{_restSlugName}]\" and \"{segment}\").";
                }

                error = CheckSlug(_optionalRestSlugName, name, slugNames);
                if (commit)
                {
                    _optionalRestSlugName = name;
                }

                key = OptionalRestSlugKey;
            }
            else if (isCatchAll)
            {
                if (_optionalRestSlugName is not null)
                {
                    return $"You cannot use both an optional and required catch-all route at the same level (\"[[...{_optionalRestSlugName}]]\" and \"{segment}\").";
                }

                error = CheckSlug(_restSlugName, name, slugNames);
                if (commit)
                {
                    _restSlugName = name;
                }

                key = RestSlugKey;
            }
            else
            {
                if (isOptional)
                {
                    return $"Optional route parameters are not yet supported (\"{segment}\").";
                }

                error = CheckSlug(_slugName, name, slugNames);
                if (commit)
                {
                    _slugName = name;
                }

                key = SlugKey;
            }

            if (error is not null)
            {
                return error;
            }
        }

        if (!_children.TryGetValue(key, out var child))
        {
            child = new RouteTreeNode();
            if (commit)
            {
                _children.Add(key, child);
            }
        }

        return child.Insert(segments, index + 1, slugNames, isCatchAll, entry, commit);
    }

    // Next.js's handleSlug: one name per dynamic position, and no name twice (even up to non-word symbols) on a path.
    private static string? CheckSlug(string? previous, string next, List<string> slugNames)
    {
        if (previous is not null && !string.Equals(previous, next, StringComparison.Ordinal))
        {
            return $"You cannot use different slug names for the same dynamic path ('{previous}' !== '{next}').";
        }

        var nextWord = WordCharacters(next);
        foreach (var slug in slugNames)
        {
            if (string.Equals(slug, next, StringComparison.Ordinal))
            {
                return $"You cannot have the same slug name \"{next}\" repeat within a single dynamic path";
            }

            if (string.Equals(WordCharacters(slug), nextWord, StringComparison.Ordinal))
            {
                return $"You cannot have the slug names \"{slug}\" and \"{next}\" differ only by non-word symbols within a single dynamic path";
            }
        }

        slugNames.Add(next);
        return null;
    }

    // JavaScript's /\W/g without the u flag: only ASCII letters, digits and '_' are word characters.
    private static string WordCharacters(string name)
    {
        var kept = new char[name.Length];
        var count = 0;
        foreach (var c in name)
        {
            if (c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_')
            {
                kept[count++] = c;
            }
        }

        return new string(kept, 0, count);
    }
}
