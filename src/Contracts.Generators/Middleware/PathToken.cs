namespace Cluster.Generators.Middleware;

/// <summary>One token of a path-to-regexp source.</summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Index">Where it starts in the source, for error messages.</param>
/// <param name="Value">Its text (the character, name or pattern).</param>
internal readonly record struct PathToken(PathTokenKind Kind, int Index, string Value);
