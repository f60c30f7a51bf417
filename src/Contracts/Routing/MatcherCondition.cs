namespace Cluster.Routing;

/// <summary>
/// A <c>has</c>/<c>missing</c> condition of a middleware matcher rule. Values must be compile-time constants: the
/// route generator compiles them at build time.
/// </summary>
public sealed class MatcherCondition
{
    /// <summary>What the condition looks at.</summary>
    public MatcherConditionType Type { get; init; }

    /// <summary>The header, query parameter or cookie name; none for <see cref="MatcherConditionType.Host"/>.</summary>
    public string? Key { get; init; }

    /// <summary>A regular expression the whole value must match; absent means "present with any value".</summary>
    public string? Value { get; init; }
}
