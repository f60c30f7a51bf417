namespace Cluster.Generators.Model;

/// <summary>The result of the semantic pass over every route file.</summary>
/// <param name="AppName">The app assembly's name.</param>
/// <param name="Routes">The valid routes, ordered by source file.</param>
/// <param name="Diagnostics">Every fault found (including the syntax pass's).</param>
internal sealed record AppModel(string AppName, EquatableArray<RouteModel> Routes, EquatableArray<DiagnosticInfo> Diagnostics);
