using System.Collections.Immutable;
using Cluster.Routing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Cluster.Generators.Tests.Harness;

/// <summary>
/// An in-memory cluster app and its host: the app's sources are compiled into an assembly the host references (as
/// eng/ClusterApp.targets does), the route files are handed to the generator as additional files under
/// <see cref="Root"/>, and the generator runs in the host's compilation.
/// </summary>
internal sealed class TestApp
{
    public const string Root = "/app-root";
    public const string AppAssemblyName = "TestApp";
    public const string HostAssemblyName = "TestHost";

    private const string RouteKind = "route";
    private const string MiddlewareKind = "middleware";

    private const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);

    private static readonly CSharpParseOptions s_parseOptions = CSharpParseOptions.Default
        .WithLanguageVersion(LanguageVersion.Latest)
        .WithDocumentationMode(DocumentationMode.Diagnose);

    private static readonly CSharpCompilationOptions s_compilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary,
        nullableContextOptions: NullableContextOptions.Enable);

    // Kind is the file's ClusterAppFile metadata (null for plain app sources).
    private readonly List<(string Path, string Source, string? Kind, bool Compiled)> _files = [];
    private string? _manifestType;
    private bool _sameCompilation;

    /// <summary>Adds a route file, e.g. <c>app/api/users/[id]/route.cs</c>.</summary>
    public TestApp Route(string relativePath, string source)
    {
        _files.Add((relativePath, source, RouteKind, true));
        return this;
    }

    /// <summary>Adds a route file whose class is made up from <paramref name="className"/> with a trivial GET.</summary>
    public TestApp SimpleRoute(string relativePath, string className) =>
        Route(relativePath, $$"""
            using Cluster.Routing;

            namespace TestApp;

            public static class {{className}}
            {
                public static RouteResponse GET() => RouteResponse.Text("{{className}}");
            }
            """);

    /// <summary>Adds a route file that the generator sees but the app does not compile.</summary>
    public TestApp RouteTextOnly(string relativePath, string source)
    {
        _files.Add((relativePath, source, RouteKind, false));
        return this;
    }

    /// <summary>Adds an app source that the generator does not see (services, helpers).</summary>
    public TestApp Source(string relativePath, string source)
    {
        _files.Add((relativePath, source, null, true));
        return this;
    }

    /// <summary>Adds a middleware file (compiled into the app), by default <c>middleware.cs</c> next to <c>app/</c>.</summary>
    public TestApp Middleware(string source, string relativePath = "middleware.cs")
    {
        _files.Add((relativePath, source, MiddlewareKind, true));
        return this;
    }

    /// <summary>Adds a middleware file that the generator sees but the app does not compile.</summary>
    public TestApp MiddlewareTextOnly(string relativePath, string source)
    {
        _files.Add((relativePath, source, MiddlewareKind, false));
        return this;
    }

    /// <summary>Sets <c>ClusterAppManifestType</c>.</summary>
    public TestApp WithManifestType(string manifestType)
    {
        _manifestType = manifestType;
        return this;
    }

    /// <summary>Compiles the app's sources into the host compilation instead of a referenced assembly.</summary>
    public TestApp InHostCompilation()
    {
        _sameCompilation = true;
        return this;
    }

    /// <summary>Builds the app and runs the generator over the host compilation.</summary>
    public GeneratorResult Run()
    {
        var appTrees = _files
            .Where(f => f.Compiled)
            .Select(f => CSharpSyntaxTree.ParseText(f.Source, s_parseOptions, Root + "/" + f.Path))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, s_parseOptions, Root + "/GlobalUsings.cs"))
            .ToList();

        var images = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var hostTrees = new List<SyntaxTree>
        {
            CSharpSyntaxTree.ParseText("namespace TestHost;\n\ninternal static class Marker\n{\n}\n", s_parseOptions, "/host/Marker.cs"),
        };
        var hostReferences = s_references.Value;
        if (_sameCompilation)
        {
            hostTrees.AddRange(appTrees);
        }
        else
        {
            var app = CSharpCompilation.Create(AppAssemblyName, appTrees, s_references.Value, s_compilationOptions);
            images[AppAssemblyName] = EmitOrThrow(app);
            hostReferences = hostReferences.Add(MetadataReference.CreateFromImage(images[AppAssemblyName]));
        }

        var host = CSharpCompilation.Create(HostAssemblyName, hostTrees, hostReferences, s_compilationOptions);
        var driver = CreateDriver(trackSteps: false);
        driver = driver.RunGeneratorsAndUpdateCompilation(host, out var output, out var diagnostics);
        return new GeneratorResult(diagnostics, driver.GetRunResult(), output, images);
    }

    /// <summary>Creates a driver for the app's additional files and options, without running it.</summary>
    public GeneratorDriver CreateDriver(bool trackSteps)
    {
        var texts = _files
            .Select(f => (AdditionalText)new TestAdditionalText(Root + "/" + f.Path, f.Source))
            .ToImmutableArray();
        var fileOptions = _files.ToDictionary(
            f => Root + "/" + f.Path,
            f => (AnalyzerConfigOptions)new TestAnalyzerConfigOptions(
                f.Kind is null ? [] : [new("build_metadata.AdditionalFiles.ClusterAppFile", f.Kind)]),
            StringComparer.Ordinal);
        var global = new List<KeyValuePair<string, string>> { new("build_property.ClusterAppDirectory", Root) };
        if (_manifestType is not null)
        {
            global.Add(new("build_property.ClusterAppManifestType", _manifestType));
        }

        var optionsProvider = new TestAnalyzerConfigOptionsProvider(new TestAnalyzerConfigOptions(global), fileOptions);
        return CSharpGeneratorDriver.Create(
            [new RouteGenerator().AsSourceGenerator()],
            texts,
            s_parseOptions,
            optionsProvider,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));
    }

    /// <summary>Builds the host compilation the generator runs in (for incremental tests).</summary>
    public CSharpCompilation CreateHostCompilation()
    {
        var appTrees = _files
            .Where(f => f.Compiled)
            .Select(f => CSharpSyntaxTree.ParseText(f.Source, s_parseOptions, Root + "/" + f.Path))
            .Append(CSharpSyntaxTree.ParseText(ImplicitUsings, s_parseOptions, Root + "/GlobalUsings.cs"));
        var app = CSharpCompilation.Create(AppAssemblyName, appTrees, s_references.Value, s_compilationOptions);
        var appReference = MetadataReference.CreateFromImage(EmitOrThrow(app));
        return CSharpCompilation.Create(
            HostAssemblyName,
            [CSharpSyntaxTree.ParseText("namespace TestHost;\n\ninternal static class Marker\n{\n}\n", s_parseOptions, "/host/Marker.cs")],
            s_references.Value.Add(appReference),
            s_compilationOptions);
    }

    /// <summary>Parses host code with the harness's options.</summary>
    public static SyntaxTree ParseHostSource(string source, string path) => CSharpSyntaxTree.ParseText(source, s_parseOptions, path);

    /// <summary>Emits a compilation, failing the test with its errors when it does not compile.</summary>
    public static byte[] EmitOrThrow(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            var errors = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
            throw new InvalidOperationException(
                $"'{compilation.AssemblyName}' does not compile:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
        }

        return stream.ToArray();
    }

    // The runtime's own assemblies (what a net10.0 project compiles against, near enough) plus Cluster.Contracts.
    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return
        [
            .. trusted
                .Where(path => string.Equals(Path.GetDirectoryName(path), runtimeDirectory, StringComparison.Ordinal))
                .Select(path => MetadataReference.CreateFromFile(path)),
            MetadataReference.CreateFromFile(typeof(RouteResponse).Assembly.Location),
        ];
    }
}
