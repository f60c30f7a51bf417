using System.Text.RegularExpressions;

namespace Cluster.Routing.Hosting;

/// <summary>A <see cref="MatcherRule"/> compiled at build time by the route generator.</summary>
public sealed class MiddlewareMatcher
{
    /// <summary>The rule's source as written, for logs.</summary>
    public required string Source { get; init; }

    /// <summary>
    /// The source compiled from path-to-regexp syntax into an anchored expression that also accepts an optional
    /// trailing slash, matched against the raw path and then the decoded path.
    /// </summary>
    public required Regex Path { get; init; }

    /// <summary>
    /// The same path rule without a regular expression, when the source is simple enough (<c>/about</c>,
    /// <c>/api/:path*</c>, <c>/blog/:slug?</c>): it decides exactly as <see cref="Path"/> does for every path, faster.
    /// <c>null</c> means only <see cref="Path"/> can decide.
    /// </summary>
    public MiddlewarePathShape? Shape { get; init; }

    /// <summary>Conditions that must all hold.</summary>
    public IReadOnlyList<MiddlewareConditionMatcher> Has { get; init; } = [];

    /// <summary>Conditions that must all fail.</summary>
    public IReadOnlyList<MiddlewareConditionMatcher> Missing { get; init; } = [];
}
