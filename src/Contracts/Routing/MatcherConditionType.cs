namespace Cluster.Routing;

/// <summary>What a <see cref="MatcherCondition"/> looks at.</summary>
public enum MatcherConditionType
{
    /// <summary>A request header (<see cref="MatcherCondition.Key"/> is its name, case-insensitive).</summary>
    Header,

    /// <summary>A query parameter (<see cref="MatcherCondition.Key"/> is its name).</summary>
    Query,

    /// <summary>A cookie (<see cref="MatcherCondition.Key"/> is its name).</summary>
    Cookie,

    /// <summary>The request's host name (no key).</summary>
    Host,
}
