namespace Cluster.Generators.Model;

/// <summary>The result of the semantic pass over the app's middleware files.</summary>
/// <param name="Middleware">The app's middleware, or null when it has none or it has faults.</param>
/// <param name="Diagnostics">Every fault found (including the syntax pass's).</param>
internal sealed record MiddlewareAnalysis(MiddlewareModel? Middleware, EquatableArray<DiagnosticInfo> Diagnostics);
