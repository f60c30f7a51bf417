using System.Diagnostics.CodeAnalysis;
using System.Text;
using Cluster.Grains.Matching;
using Cluster.Routing;

namespace Cluster.Grains.Caching;

/// <summary>
/// Builds the path a param set of <c>GenerateStaticParams</c> stands for, so that routing the path gives back the
/// same route and params: <c>[x]</c> becomes its value percent-encoded as one segment (<see cref="Uri.EscapeDataString(string)"/>,
/// so a <c>/</c> inside a value stays inside it as <c>%2F</c>), <c>[...x]</c> and <c>[[...x]]</c> one encoded segment per
/// element, and an empty or absent optional catch-all drops its segment (<c>/shop/[[...slug]]</c> → <c>/shop</c>).
/// </summary>
internal static class StaticParamsPaths
{
    /// <summary>Builds the path of <paramref name="routeParams"/> for the route <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is malformed, a param of the pattern is missing, empty or of the
    /// wrong kind (a string for <c>[x]</c>, a string array for a catch-all), or the path is one the gateway refuses
    /// (e.g. a value <c>..</c>).</exception>
    public static string Build(string pattern, RouteParams routeParams)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(routeParams);
        return TryBuild(pattern, routeParams, out var path, out _, out var error)
            ? path
            : throw new ArgumentException(error, nameof(routeParams));
    }

    /// <summary>
    /// Builds the path of <paramref name="routeParams"/>, and the params exactly as the router decodes them from that
    /// path (the pattern's params in its order; params the pattern does not have are left out, as routing would).
    /// </summary>
    /// <returns><see langword="false"/> with the reason in <paramref name="error"/> when <see cref="Build"/> would throw.</returns>
    public static bool TryBuild(
        string pattern,
        RouteParams routeParams,
        [NotNullWhen(true)] out string? path,
        [NotNullWhen(true)] out RouteParams? routed,
        [NotNullWhen(false)] out string? error)
    {
        path = null;
        routed = null;
        if (!RoutePattern.TryParse(pattern, out var parsed, out error))
        {
            return false;
        }

        var builder = new StringBuilder(pattern.Length + 16);
        var names = new List<string>(parsed.ParameterNames.Length);
        var values = new List<object>(parsed.ParameterNames.Length);
        foreach (var segment in parsed.Segments)
        {
            if (segment.Kind == RouteSegmentKind.Static)
            {
                builder.Append('/').Append(segment.Value);
                continue;
            }

            routeParams.TryGetRaw(segment.Value, out var raw);
            switch (segment.Kind)
            {
                case RouteSegmentKind.Param when raw is string single:
                    if (single.Length == 0)
                    {
                        error = $"The param '{segment.Value}' is empty; {segment} matches one non-empty segment.";
                        return false;
                    }

                    builder.Append('/').Append(Uri.EscapeDataString(single));
                    names.Add(segment.Value);
                    values.Add(single);
                    break;

                case RouteSegmentKind.Param:
                    error = raw is null
                        ? $"The param '{segment.Value}' is missing."
                        : $"The param '{segment.Value}' is a string array; {segment} takes a string.";
                    return false;

                case RouteSegmentKind.OptionalCatchAll when raw is null || raw is string[] { Length: 0 }:
                    // Absent, as the router leaves an empty optional catch-all.
                    break;

                case RouteSegmentKind.CatchAll or RouteSegmentKind.OptionalCatchAll when raw is string[] segments:
                    if (segments.Length == 0)
                    {
                        error = $"The param '{segment.Value}' has no segment; {segment} matches one or more.";
                        return false;
                    }

                    foreach (var element in segments)
                    {
                        if (string.IsNullOrEmpty(element))
                        {
                            error = $"The param '{segment.Value}' has an empty segment.";
                            return false;
                        }

                        builder.Append('/').Append(Uri.EscapeDataString(element));
                    }

                    names.Add(segment.Value);
                    values.Add(segments.Clone());
                    break;

                default:
                    error = raw is null
                        ? $"The param '{segment.Value}' is missing."
                        : $"The param '{segment.Value}' is a string; {segment} takes a string array.";
                    return false;
            }
        }

        var built = builder.Length == 0 ? "/" : builder.ToString();

        // The gateway refuses some paths before routing (dot segments, control characters): listing one would
        // prerender a page no request can reach.
        if (RequestPathNormalizer.Normalize(built, out _) != PathNormalizationResult.Ok)
        {
            error = $"The path '{built}' is one the gateway does not route (a '.' or '..' segment, or a control character).";
            return false;
        }

        path = built;
        routed = RouteParams.FromTrustedArrays([.. names], [.. values]);
        error = null;
        return true;
    }
}
