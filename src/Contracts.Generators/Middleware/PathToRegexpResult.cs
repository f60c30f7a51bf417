namespace Cluster.Generators.Middleware;

/// <summary>The outcome of compiling a matcher source or condition value.</summary>
/// <param name="Pattern">The .NET regular expression, or null when the input is invalid.</param>
/// <param name="Error">Why the input is invalid (a phrase for a diagnostic), or null.</param>
internal readonly record struct PathToRegexpResult(string? Pattern, string? Error)
{
    /// <summary>A successful compilation (a null pattern: a condition value that accepts anything).</summary>
    public static PathToRegexpResult Success(string? pattern) => new(pattern, null);

    /// <summary>A failed compilation.</summary>
    public static PathToRegexpResult Failure(string error) => new(null, error);
}
