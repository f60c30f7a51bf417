namespace Cluster.Generators.Model;

/// <summary>What the syntax pass learned from one route file.</summary>
/// <param name="FilePath">The file's absolute path, for diagnostics.</param>
/// <param name="SourceFile">The file relative to the app's directory, e.g. <c>app/api/users/[id]/route.cs</c>.</param>
/// <param name="Pattern">The normalised URL pattern, or null when the folder path is not routable.</param>
/// <param name="ClassMetadataName">The metadata name of the file's route class, or null when it has none (or several).</param>
/// <param name="ClassLocation">The route class's name token, or the whole file.</param>
/// <param name="Members">Where the class's members are declared.</param>
/// <param name="Diagnostics">Faults found in the path or the syntax.</param>
internal sealed record RouteFileModel(
    string FilePath,
    string SourceFile,
    string? Pattern,
    string? ClassMetadataName,
    LocationInfo ClassLocation,
    EquatableArray<MemberLocation> Members,
    EquatableArray<DiagnosticInfo> Diagnostics);
