using System.Collections.Immutable;
using System.Reflection;
using Cluster.Routing.Hosting;
using Microsoft.CodeAnalysis;

namespace Cluster.Generators.Tests.Harness;

/// <summary>What a generator run produced.</summary>
internal sealed class GeneratorResult(
    ImmutableArray<Diagnostic> diagnostics,
    GeneratorDriverRunResult runResult,
    Compilation outputCompilation,
    Dictionary<string, byte[]> images)
{
    /// <summary>The generator's diagnostics.</summary>
    public ImmutableArray<Diagnostic> Diagnostics { get; } = diagnostics;

    /// <summary>The generator's errors.</summary>
    public IReadOnlyList<Diagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

    /// <summary>The generated source, or null when nothing was generated.</summary>
    public string? GeneratedSource => runResult.GeneratedTrees.SingleOrDefault()?.GetText().ToString();

    /// <summary>The host compilation including the generated source.</summary>
    public Compilation OutputCompilation { get; } = outputCompilation;

    /// <summary>Describes the diagnostics, for assertion messages.</summary>
    public string Describe() => string.Join(Environment.NewLine, Diagnostics.Select(d => d.ToString()));

    /// <summary>
    /// Compiles the host with the generated manifest (failing on any error or warning, the generated code must be
    /// clean under Nullable and TreatWarningsAsErrors), loads it and returns its manifest.
    /// </summary>
    public LoadedApp Load(string manifestType = "Cluster.Generated.AppManifest")
    {
        Assert.True(Errors.Count == 0, Describe());
        // The app's own sources (compiled here in InHostCompilation mode) are not the generator's business.
        var problems = OutputCompilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .Where(d => !d.Location.GetLineSpan().Path.StartsWith(TestApp.Root + "/", StringComparison.Ordinal))
            .ToList();
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems) + Environment.NewLine + GeneratedSource);

        var allImages = new Dictionary<string, byte[]>(images, StringComparer.Ordinal)
        {
            [OutputCompilation.AssemblyName!] = TestApp.EmitOrThrow(OutputCompilation),
        };
        var context = new InMemoryLoadContext(allImages);
        var host = context.LoadFromAssemblyName(new AssemblyName(OutputCompilation.AssemblyName!));
        var app = images.ContainsKey(TestApp.AppAssemblyName) ? context.LoadFromAssemblyName(new AssemblyName(TestApp.AppAssemblyName)) : host;
        var type = host.GetType(manifestType, throwOnError: true)!;
        var manifest = (ClusterAppManifest)type.GetProperty("Instance")!.GetValue(null)!;
        return new LoadedApp(manifest, app);
    }
}
