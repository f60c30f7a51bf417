namespace Cluster.Generators.Model;

/// <summary>One middleware matcher rule, compiled from path-to-regexp at build time.</summary>
/// <param name="Source">The rule's source as written, for logs.</param>
/// <param name="Path">The anchored .NET expression the path must match.</param>
/// <param name="Has">Conditions that must all hold.</param>
/// <param name="Missing">Conditions that must all fail.</param>
internal sealed record MatcherModel(string Source, string Path, EquatableArray<ConditionModel> Has, EquatableArray<ConditionModel> Missing);
