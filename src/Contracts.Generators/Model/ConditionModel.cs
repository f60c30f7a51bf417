namespace Cluster.Generators.Model;

/// <summary>A <c>has</c>/<c>missing</c> condition of a middleware matcher, compiled at build time.</summary>
/// <param name="Type">The <c>MatcherConditionType</c> member: <c>Header</c>, <c>Query</c>, <c>Cookie</c> or <c>Host</c>.</param>
/// <param name="Key">The header, query parameter or cookie name; null for <c>Host</c>.</param>
/// <param name="Value">The anchored value expression (<c>^(?:value)$</c>), or null for "present with any value".</param>
internal sealed record ConditionModel(string Type, string? Key, string? Value);
