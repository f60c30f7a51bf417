namespace Cluster.Generators.Model;

/// <summary>The host project's cluster-app build properties (set by eng/ClusterApp.targets).</summary>
/// <param name="AppDirectory">The app's directory with '/' separators and no trailing slash; null when the project is not a cluster-app host.</param>
/// <param name="ManifestNamespace">The namespace of the manifest class, empty for the global namespace.</param>
/// <param name="ManifestClassName">The manifest class's name.</param>
/// <param name="Error">Why the properties are unusable, or null.</param>
internal sealed record AppOptions(string? AppDirectory, string ManifestNamespace, string ManifestClassName, DiagnosticInfo? Error);
