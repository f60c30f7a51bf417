namespace Cluster.Routing;

/// <summary>
/// One middleware matcher rule: a path-to-regexp <see cref="Source"/> (<c>:name</c>, <c>:name*</c>, <c>:name+</c>,
/// <c>:name?</c>, raw <c>(regex)</c> groups) and optional <see cref="Has"/>/<see cref="Missing"/> conditions.
/// A plain string converts to a rule with that source.
/// </summary>
public sealed class MatcherRule
{
    /// <summary>The path pattern; must start with <c>/</c>.</summary>
    public string Source { get; init; } = "/";

    /// <summary>Conditions that must all hold.</summary>
    public IReadOnlyList<MatcherCondition> Has { get; init; } = [];

    /// <summary>Conditions that must all fail.</summary>
    public IReadOnlyList<MatcherCondition> Missing { get; init; } = [];

    /// <summary>A rule with only a source.</summary>
    public static implicit operator MatcherRule(string source) => new() { Source = source };

    /// <summary>A rule with only a source.</summary>
    public static MatcherRule FromString(string source) => source;
}
