namespace Cluster.Generators.Model;

/// <summary>What the syntax pass learned from one middleware file.</summary>
/// <param name="FilePath">The file's absolute path, for diagnostics.</param>
/// <param name="SourceFile">The file relative to the app's directory (<c>middleware.cs</c> when well placed).</param>
/// <param name="IsWellPlaced">Whether the file is <c>&lt;ClusterAppDirectory&gt;/middleware.cs</c>.</param>
/// <param name="ClassMetadataName">The metadata name of the file's middleware class, or null when it has none (or several).</param>
/// <param name="ClassLocation">The middleware class's name token, or the whole file.</param>
/// <param name="Members">Where the class's members are declared.</param>
/// <param name="Matchers">The matcher rules read from <c>Config</c>, compiled; empty without a <c>Matcher</c>.</param>
/// <param name="Diagnostics">Faults found in the path or the syntax (including the matcher's).</param>
internal sealed record MiddlewareFileModel(
    string FilePath,
    string SourceFile,
    bool IsWellPlaced,
    string? ClassMetadataName,
    LocationInfo ClassLocation,
    EquatableArray<MemberLocation> Members,
    EquatableArray<MatcherModel> Matchers,
    EquatableArray<DiagnosticInfo> Diagnostics);
