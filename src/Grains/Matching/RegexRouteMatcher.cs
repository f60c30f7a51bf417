using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.RegularExpressions;
using Cluster.Routing;

namespace Cluster.Grains.Matching;

/// <summary>
/// A literal port of how Next.js resolves a route (spec §1.3–§1.4): exact lookup of the static routes (raw, then
/// decoded), then one anchored regex per dynamic route, tried in sorted order until one matches.
/// </summary>
/// <remarks>
/// Not used to serve requests: it is the reference the trie in <see cref="RouteTable"/> is tested against (the
/// conformance suite runs on both) and the naive baseline of the routing benchmark. Its cost grows with the number
/// of dynamic routes; the trie's grows with the depth of the path.
/// </remarks>
internal sealed class RegexRouteMatcher
{
    private readonly Dictionary<string, RouteEntry> _staticRoutes;
    private readonly (Regex Regex, RouteEntry Entry)[] _dynamicRoutes;
    private readonly Dictionary<RouteEntry, Regex> _regexByEntry;

    /// <summary>Builds the matcher over the routes of a table (already validated and sorted).</summary>
    /// <param name="table">The table whose <see cref="RouteTable.Routes"/> to use.</param>
    /// <param name="options">Extra regex options, e.g. <see cref="RegexOptions.Compiled"/> for the benchmark.</param>
    public RegexRouteMatcher(RouteTable table, RegexOptions options = RegexOptions.None)
    {
        ArgumentNullException.ThrowIfNull(table);
        _staticRoutes = new Dictionary<string, RouteEntry>(StringComparer.Ordinal);
        _regexByEntry = [];
        var dynamicRoutes = new List<(Regex, RouteEntry)>();
        foreach (var entry in table.Routes)
        {
            if (entry.Pattern.IsStatic)
            {
                _staticRoutes.Add(entry.Pattern.Text, entry);
                continue;
            }

            var regex = new Regex(ToRegex(entry.Pattern), options | RegexOptions.CultureInvariant);
            dynamicRoutes.Add((regex, entry));
            _regexByEntry.Add(entry, regex);
        }

        _dynamicRoutes = [.. dynamicRoutes];
    }

    /// <summary>The regex source Next.js builds for a pattern (<c>route-regex.ts</c>).</summary>
    public static string ToRegex(RoutePattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var builder = new StringBuilder("^");
        foreach (var segment in pattern.Segments)
        {
            builder.Append(segment.Kind switch
            {
                RouteSegmentKind.Param => "/([^/]+?)",
                RouteSegmentKind.CatchAll => "/(.+?)",
                RouteSegmentKind.OptionalCatchAll => "(?:/(.+?))?",
                _ => "/" + Regex.Escape(segment.Value),
            });
        }

        // Next.js tolerates a trailing slash in the regex itself; the root's regex is then "^(?:/)?$".
        return builder.Append("(?:/)?$").ToString();
    }

    /// <summary>Finds the route for a raw path, as <see cref="RouteTable.TryMatch(string, out RouteMatch)"/> does.</summary>
    public bool TryMatch(string path, [NotNullWhen(true)] out RouteEntry? entry)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_staticRoutes.TryGetValue(path, out entry)
            || (path.Contains('%', StringComparison.Ordinal) && _staticRoutes.TryGetValue(Uri.UnescapeDataString(path), out entry)))
        {
            return true;
        }

        foreach (var (regex, candidate) in _dynamicRoutes)
        {
            if (regex.IsMatch(path))
            {
                entry = candidate;
                return true;
            }
        }

        entry = null;
        return false;
    }

    /// <summary>Extracts and decodes the params as Next.js's <c>route-matcher.ts</c> does.</summary>
    public RouteParams GetParams(RouteEntry entry, string path)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(path);
        if (!_regexByEntry.TryGetValue(entry, out var regex))
        {
            return RouteParams.Empty;
        }

        var match = regex.Match(path);
        var names = new List<string>();
        var values = new List<object>();
        var group = 1;
        foreach (var segment in entry.Pattern.Segments)
        {
            if (!segment.IsDynamic)
            {
                continue;
            }

            var capture = match.Groups[group++];
            if (!capture.Success)
            {
                // An empty optional catch-all: the key is absent.
                continue;
            }

            names.Add(segment.Value);
            values.Add(segment.IsCatchAll
                ? capture.Value.Split('/').Select(Uri.UnescapeDataString).ToArray()
                : Uri.UnescapeDataString(capture.Value));
        }

        return RouteParams.FromTrustedArrays([.. names], [.. values]);
    }
}
