using System.Buffers;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Cluster.Routing;

namespace Cluster.Grains.Matching;

/// <summary>
/// The compiled routes of an app, matched with Next.js's rules (spec §1.3–§1.6). Immutable and thread-safe once
/// built; a reload builds a new table and swaps it whole.
/// </summary>
/// <remarks>
/// <para>Static routes are found by exact lookup, first on the raw path, then on the percent-decoded path, and beat
/// every dynamic route whatever their depth. Dynamic routes live in a segment trie searched depth-first with the
/// children of a node tried in Next.js's priority (static child, <c>[param]</c>, <c>[...catchAll]</c>,
/// <c>[[...optional]]</c>), so the first complete match is the first regex match in Next.js's sorted list, without
/// running one regex per route.</para>
/// <para>A match on a path without <c>%</c> allocates nothing: the path is tokenised into a stackalloc'ed span of
/// segment ranges and looked up through span-keyed dictionary lookups. Params are decoded afterwards, on demand, by
/// <see cref="GetParams"/>.</para>
/// </remarks>
internal sealed partial class RouteTable
{
    /// <summary>
    /// The deepest path, in segments, that can match a dynamic route. Deeper paths get a 404 rather than an unbounded
    /// stack buffer; static routes are looked up whole and have no such limit.
    /// </summary>
    public const int MaxSegments = 64;

    // Paths up to this length are percent-decoded on the stack for the second static lookup.
    private const int StackDecodeLimit = 256;

    private readonly Dictionary<string, RouteEntry> _staticRoutes;

    // Span-keyed view of _staticRoutes, so lookups by a span (a decoded buffer, a slice) allocate no string.
    private readonly Dictionary<string, RouteEntry>.AlternateLookup<ReadOnlySpan<char>> _staticLookup;
    private readonly RouteTrieNode? _dynamicRoot;

    private RouteTable(RouteEntry[] routes, Dictionary<string, RouteEntry> staticRoutes, RouteTrieNode? dynamicRoot)
    {
        Routes = new ReadOnlyCollection<RouteEntry>(routes);
        _staticRoutes = staticRoutes;
        _staticLookup = staticRoutes.GetAlternateLookup<ReadOnlySpan<char>>();
        _dynamicRoot = dynamicRoot;
    }

    /// <summary>Every route in Next.js's sorted order (<see cref="RouteEntry.Index"/> is the position), for diagnostics.</summary>
    public IReadOnlyList<RouteEntry> Routes { get; }

    /// <summary>
    /// Finds the route that serves <paramref name="path"/>. The path is the raw request path after
    /// <see cref="RequestPathNormalizer"/>: it starts with <c>/</c>, has no repeated slash, no trailing slash except
    /// the root, and only well-formed percent-encoding. Case-sensitive.
    /// </summary>
    /// <returns><see langword="false"/> when nothing matches (a 404).</returns>
    public bool TryMatch(string path, out RouteMatch match)
    {
        ArgumentNullException.ThrowIfNull(path);

        // The string-keyed lookup skips the alternate comparer's interface calls: the raw static lookup is the
        // hottest path of all.
        if (_staticRoutes.TryGetValue(path, out var entry))
        {
            match = new RouteMatch(entry);
            return true;
        }

        return TryMatchDecodedOrDynamic(path, out match);
    }

    /// <inheritdoc cref="TryMatch(string, out RouteMatch)"/>
    public bool TryMatch(ReadOnlySpan<char> path, out RouteMatch match)
    {
        if (_staticLookup.TryGetValue(path, out var entry))
        {
            match = new RouteMatch(entry);
            return true;
        }

        return TryMatchDecodedOrDynamic(path, out match);
    }

    // The stackalloc'd segment buffer is fully written before it is read: skip zeroing it.
    [SkipLocalsInit]
    private bool TryMatchDecodedOrDynamic(ReadOnlySpan<char> path, out RouteMatch match)
    {
        if (path.Contains('%') && TryMatchDecodedStatic(path, out var entry))
        {
            match = new RouteMatch(entry);
            return true;
        }

        // The span is sized to the path's slash count (each slash opens one segment) so that the zeroing the runtime
        // does without [SkipLocalsInit] stays a few bytes; the attribute needs AllowUnsafeBlocks on the project.
        var slashes = path.Count('/');
        if (_dynamicRoot is not null && slashes <= MaxSegments)
        {
            Span<PathSegment> segments = stackalloc PathSegment[slashes];
            var count = Tokenize(path, segments);
            if (count >= 0 && FindDynamic(_dynamicRoot, path, segments[..count], 0) is { } found)
            {
                match = new RouteMatch(found);
                return true;
            }
        }

        match = default;
        return false;
    }

    /// <summary>
    /// Decodes the params of a match, per segment with <c>decodeURIComponent</c> semantics: <c>[x]</c> gives a
    /// string; a catch-all gives an array with one decoded element per raw segment (so an encoded <c>%2F</c> stays
    /// inside its element), even for one segment; an empty optional catch-all is absent; a static route gets
    /// <see cref="RouteParams.Empty"/>.
    /// </summary>
    /// <param name="match">A match returned by <see cref="TryMatch(string, out RouteMatch)"/>.</param>
    /// <param name="path">The same path that produced the match.</param>
    /// <exception cref="ArgumentException">The match is empty, or the path does not have the matched route's shape.</exception>
    [SkipLocalsInit]
    public static RouteParams GetParams(in RouteMatch match, string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!match.Success)
        {
            ThrowEmptyMatch();
        }

        var pattern = match.Entry.Pattern;
        if (pattern.IsStatic)
        {
            return RouteParams.Empty;
        }

        Span<PathSegment> segments = stackalloc PathSegment[Math.Min(path.AsSpan().Count('/'), MaxSegments)];
        var count = Tokenize(path, segments);
        var patternSegments = pattern.Segments;
        var last = patternSegments[^1];
        var minimum = last.Kind == RouteSegmentKind.OptionalCatchAll ? patternSegments.Length - 1 : patternSegments.Length;
        if (count < minimum || (!last.IsCatchAll && count != patternSegments.Length))
        {
            ThrowShapeMismatch(pattern, path);
        }

        var omitLast = last.Kind == RouteSegmentKind.OptionalCatchAll && count == patternSegments.Length - 1;
        var paramCount = pattern.ParameterNames.Length - (omitLast ? 1 : 0);
        var names = new string[paramCount];
        var values = new object[paramCount];
        var p = 0;
        for (var i = 0; i < patternSegments.Length && p < paramCount; i++)
        {
            var segment = patternSegments[i];
            if (segment.Kind == RouteSegmentKind.Static)
            {
                continue;
            }

            names[p] = segment.Value;
            if (segment.Kind == RouteSegmentKind.Param)
            {
                values[p] = Decode(path, segments[i]);
            }
            else
            {
                var pieces = new string[count - i];
                for (var j = 0; j < pieces.Length; j++)
                {
                    pieces[j] = Decode(path, segments[i + j]);
                }

                values[p] = pieces;
            }

            p++;
        }

        return RouteParams.FromTrustedArrays(names, values);
    }

    /// <summary>
    /// Splits a path into segment ranges (the root <c>/</c> has none). Returns the count, or -1 when the path does
    /// not start with <c>/</c> or has more than <paramref name="segments"/> can hold.
    /// </summary>
    internal static int Tokenize(ReadOnlySpan<char> path, Span<PathSegment> segments)
    {
        if (path.IsEmpty || path[0] != '/')
        {
            return -1;
        }

        if (path.Length == 1)
        {
            return 0;
        }

        var count = 0;
        var start = 1;
        while (true)
        {
            if (count == segments.Length)
            {
                return -1;
            }

            var slash = path[start..].IndexOf('/');
            var end = slash < 0 ? path.Length : start + slash;
            segments[count++] = new PathSegment(start, end - start);
            if (slash < 0)
            {
                return count;
            }

            start = end + 1;
        }
    }

    private static RouteEntry? FindDynamic(
        RouteTrieNode node,
        ReadOnlySpan<char> path,
        ReadOnlySpan<PathSegment> segments,
        int index)
    {
        if (index == segments.Length)
        {
            // A tree never has both (Build rejects "same specificity as an optional catch-all").
            return node.Terminal ?? node.OptionalCatchAll;
        }

        var range = segments[index];
        var segment = path.Slice(range.Start, range.Length);

        // Children in Next.js priority; a dead end falls back to the next kind, like the next regex in the list.
        if (node.TryGetStaticChild(segment, out var child)
            && FindDynamic(child, path, segments, index + 1) is { } viaStatic)
        {
            return viaStatic;
        }

        if (node.ParamChild is { } paramChild
            && !segment.IsEmpty
            && FindDynamic(paramChild, path, segments, index + 1) is { } viaParam)
        {
            return viaParam;
        }

        return node.CatchAll ?? node.OptionalCatchAll;
    }

    private bool TryMatchDecodedStatic(ReadOnlySpan<char> path, [MaybeNullWhen(false)] out RouteEntry entry)
    {
        // A decoded path is never longer than the raw one.
        char[]? rented = null;
        Span<char> buffer = path.Length <= StackDecodeLimit
            ? stackalloc char[path.Length]
            : (rented = ArrayPool<char>.Shared.Rent(path.Length));
        try
        {
            entry = null;
            return Uri.TryUnescapeDataString(path, buffer, out var written)
                && _staticLookup.TryGetValue(buffer[..written], out entry);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static string Decode(string path, PathSegment segment)
    {
        var raw = path.AsSpan(segment.Start, segment.Length);
        return raw.Contains('%') ? Uri.UnescapeDataString(raw) : new string(raw);
    }

    [DoesNotReturn]
    private static void ThrowEmptyMatch() =>
        throw new ArgumentException("The match is empty (default); only a successful TryMatch gives params.", "match");

    [DoesNotReturn]
    private static void ThrowShapeMismatch(RoutePattern pattern, string path) =>
        throw new ArgumentException($"The path '{path}' does not have the shape of the matched route '{pattern.Text}'.", nameof(path));
}
