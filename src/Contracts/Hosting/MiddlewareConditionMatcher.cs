using System.Text.RegularExpressions;

namespace Cluster.Routing.Hosting;

/// <summary>A <see cref="MatcherCondition"/> compiled at build time by the route generator.</summary>
public sealed class MiddlewareConditionMatcher
{
    /// <summary>What the condition looks at.</summary>
    public required MatcherConditionType Type { get; init; }

    /// <summary>The header, query parameter or cookie name; <c>null</c> for a host condition.</summary>
    public string? Key { get; init; }

    /// <summary>The anchored value pattern (<c>^(?:value)$</c>); <c>null</c> means "present with any value".</summary>
    public Regex? Value { get; init; }
}
