using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Cluster.Generators.Tests.Harness;

/// <summary>
/// Stands in for what MSBuild hands the compiler from eng/ClusterApp.targets: global build properties and the
/// <c>ClusterAppFile</c> metadata of each additional file.
/// </summary>
internal sealed class TestAnalyzerConfigOptionsProvider(
    AnalyzerConfigOptions globalOptions,
    IReadOnlyDictionary<string, AnalyzerConfigOptions> fileOptions) : AnalyzerConfigOptionsProvider
{
    public override AnalyzerConfigOptions GlobalOptions { get; } = globalOptions;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => TestAnalyzerConfigOptions.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) =>
        fileOptions.TryGetValue(textFile.Path, out var options) ? options : TestAnalyzerConfigOptions.Empty;
}
