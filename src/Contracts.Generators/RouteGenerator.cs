using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Cluster.Generators.Analysis;
using Cluster.Generators.Emit;
using Cluster.Generators.Model;
using Cluster.Generators.Routing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Cluster.Generators;

/// <summary>
/// The route generator. It runs in a cluster-app host (a project importing eng/ClusterApp.targets), reads the app's
/// <c>app/**/route.cs</c> files given as additional files, validates the route tree with Next.js's rules, checks each
/// route class (from the referenced app assembly) and emits the manifest class with reflection-free handlers. It also
/// reads the app's <c>middleware.cs</c>, compiles its matcher at build time and emits a direct call to its <c>Run</c>.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class RouteGenerator : IIncrementalGenerator
{
    /// <summary>Tracking name of the per-file syntax step.</summary>
    internal const string RouteFilesStep = "RouteFiles";

    /// <summary>Tracking name of the route-tree validation step.</summary>
    internal const string RouteTreeStep = "RouteTree";

    /// <summary>Tracking name of the semantic step.</summary>
    internal const string AppModelStep = "AppModel";

    /// <summary>Tracking name of the per-file syntax step over middleware files (place, class, compiled matcher).</summary>
    internal const string MiddlewareFilesStep = "MiddlewareFiles";

    /// <summary>Tracking name of the middleware's semantic step.</summary>
    internal const string MiddlewareStep = "Middleware";

    private const string FileKindKey = "build_metadata.AdditionalFiles.ClusterAppFile";
    private const string AppDirectoryKey = "build_property.ClusterAppDirectory";
    private const string ManifestTypeKey = "build_property.ClusterAppManifestType";
    private const string DefaultManifestType = "Cluster.Generated.AppManifest";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var options = context.AnalyzerConfigOptionsProvider
            .Select(static (provider, _) => ReadOptions(provider.GlobalOptions));

        var routeFiles = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) => ReadRouteFile(pair.Left, pair.Right, cancellationToken))
            .Where(static file => file is not null)
            .Select(static (file, _) => file!)
            .WithTrackingName(RouteFilesStep);

        var allFiles = routeFiles.Collect();

        // The tree depends on paths only, so editing code never re-runs it.
        var tree = allFiles
            .Select(static (files, _) => ValidateTree(files))
            .WithTrackingName(RouteTreeStep);

        var app = allFiles
            .Combine(context.CompilationProvider)
            .Select(static (pair, cancellationToken) => AnalyzeApp(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(AppModelStep);

        var middlewareFiles = context.AdditionalTextsProvider
            .Combine(context.AnalyzerConfigOptionsProvider)
            .Select(static (pair, cancellationToken) => ReadMiddlewareFile(pair.Left, pair.Right, cancellationToken))
            .Where(static file => file is not null)
            .Select(static (file, _) => file!)
            .WithTrackingName(MiddlewareFilesStep);

        var middleware = middlewareFiles.Collect()
            .Combine(context.CompilationProvider)
            .Select(static (pair, cancellationToken) => AnalyzeMiddleware(pair.Left, pair.Right, cancellationToken))
            .WithTrackingName(MiddlewareStep);

        context.RegisterSourceOutput(
            options.Combine(tree).Combine(app).Combine(middleware),
            static (productionContext, input) => Execute(
                productionContext,
                input.Left.Left.Left,
                input.Left.Left.Right,
                input.Left.Right,
                input.Right));
    }

    private static AppOptions ReadOptions(AnalyzerConfigOptions globalOptions)
    {
        string? appDirectory = null;
        if (globalOptions.TryGetValue(AppDirectoryKey, out var directory) && !string.IsNullOrWhiteSpace(directory))
        {
            appDirectory = directory.Trim().Replace('\\', '/').TrimEnd('/');
        }

        var manifestType = globalOptions.TryGetValue(ManifestTypeKey, out var type) && !string.IsNullOrWhiteSpace(type)
            ? type.Trim()
            : DefaultManifestType;
        var parts = manifestType.Split('.');
        if (parts.Any(part => !SyntaxFacts.IsValidIdentifier(part) || SyntaxFacts.GetKeywordKind(part) != SyntaxKind.None))
        {
            var error = DiagnosticInfo.Create(
                DiagnosticDescriptors.InvalidConfiguration,
                null,
                $"ClusterAppManifestType '{manifestType}' is not a valid C# type name");
            return new AppOptions(appDirectory, string.Empty, "AppManifest", error);
        }

        var lastDot = manifestType.LastIndexOf('.');
        return lastDot < 0
            ? new AppOptions(appDirectory, string.Empty, manifestType, null)
            : new AppOptions(appDirectory, manifestType.Substring(0, lastDot), manifestType.Substring(lastDot + 1), null);
    }

    // An app file without the app directory means the host did not import eng/ClusterApp.targets: the error says so,
    // on the file. Null when the directory is known.
    private static DiagnosticInfo? MissingAppDirectory(
        AnalyzerConfigOptionsProvider provider, AdditionalText text, string fileKind, out string appDirectory)
    {
        if (provider.GlobalOptions.TryGetValue(AppDirectoryKey, out var value) && !string.IsNullOrWhiteSpace(value))
        {
            appDirectory = value;
            return null;
        }

        appDirectory = string.Empty;
        return DiagnosticInfo.Create(
            DiagnosticDescriptors.InvalidConfiguration,
            LocationInfo.WholeFile(text.Path),
            $"'{text.Path}' is {fileKind} but the build property ClusterAppDirectory is not set (import eng/ClusterApp.targets)");
    }

    private static RouteFileModel? ReadRouteFile(AdditionalText text, AnalyzerConfigOptionsProvider provider, CancellationToken cancellationToken)
    {
        // Middleware files have their own step; any unrelated additional file is ignored.
        if (!provider.GetOptions(text).TryGetValue(FileKindKey, out var kind)
            || !string.Equals(kind, "route", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (MissingAppDirectory(provider, text, "a route file", out var appDirectory) is { } error)
        {
            return new RouteFileModel(text.Path, text.Path, null, null, LocationInfo.WholeFile(text.Path), default, new EquatableArray<DiagnosticInfo>([error]));
        }

        var source = text.GetText(cancellationToken) ?? Microsoft.CodeAnalysis.Text.SourceText.From(string.Empty);
        return RouteFileReader.Read(appDirectory.Trim(), text.Path, source, cancellationToken);
    }

    private static MiddlewareFileModel? ReadMiddlewareFile(AdditionalText text, AnalyzerConfigOptionsProvider provider, CancellationToken cancellationToken)
    {
        if (!provider.GetOptions(text).TryGetValue(FileKindKey, out var kind)
            || !string.Equals(kind, "middleware", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (MissingAppDirectory(provider, text, "a middleware file", out var appDirectory) is { } error)
        {
            return new MiddlewareFileModel(text.Path, text.Path, false, null, LocationInfo.WholeFile(text.Path), default, default, new EquatableArray<DiagnosticInfo>([error]));
        }

        var source = text.GetText(cancellationToken) ?? Microsoft.CodeAnalysis.Text.SourceText.From(string.Empty);
        return MiddlewareFileReader.Read(appDirectory.Trim(), text.Path, source, cancellationToken);
    }

    private static EquatableArray<DiagnosticInfo> ValidateTree(ImmutableArray<RouteFileModel> files)
    {
        // Pattern order puts a required catch-all before its optional sibling, so that clash gets Next.js's
        // "both a required and optional catch-all" wording whatever order the files arrived in.
        var routable = files
            .Where(file => file.Pattern is not null)
            .OrderBy(file => file.Pattern, StringComparer.Ordinal)
            .ThenBy(file => file.SourceFile, StringComparer.Ordinal)
            .ToList();
        var paths = routable.ToDictionary(file => file.SourceFile, file => file.FilePath, StringComparer.Ordinal);
        var errors = RouteTreeValidator.Validate(routable.Select(file => new RouteTreeEntry(file.Pattern!, file.SourceFile)));

        return errors.Select(error =>
        {
            var location = LocationInfo.WholeFile(paths[error.SourceFile]);
            return error.Kind == RouteTreeErrorKind.DuplicateUrl
                ? DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateRoute, location, error.Pattern, error.OtherSourceFile!, error.SourceFile)
                : DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRouteTree, location, error.Message, error.SourceFile);
        }).ToEquatableArray();
    }

    private static AppModel AnalyzeApp(ImmutableArray<RouteFileModel> files, Compilation compilation, CancellationToken cancellationToken)
    {
        var ordered = files.OrderBy(file => file.SourceFile, StringComparer.Ordinal).ToList();
        var diagnostics = ordered.SelectMany(file => file.Diagnostics).ToList();
        var routes = new List<RouteModel>();
        string? appName = null;

        var analyzer = RouteClassAnalyzer.Create(compilation);
        if (analyzer is null)
        {
            if (ordered.Count > 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.InvalidConfiguration,
                    null,
                    "the compilation does not reference Cluster.Contracts (Cluster.Routing.RouteResponse was not found)"));
            }

            return new AppModel(compilation.AssemblyName ?? "App", default, diagnostics.ToEquatableArray());
        }

        foreach (var file in ordered)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (file.ClassMetadataName is null)
            {
                continue;
            }

            var type = compilation.GetTypeByMetadataName(file.ClassMetadataName);
            if (type is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.RouteClassNotFound, file.ClassLocation, file.ClassMetadataName, file.SourceFile));
                continue;
            }

            // The app is the assembly that holds the route classes (a referenced project, not the host).
            appName ??= type.ContainingAssembly?.Name;
            var route = analyzer.Analyze(file, type, diagnostics);
            if (route is not null && file.Pattern is not null)
            {
                routes.Add(route);
            }
        }

        return new AppModel(appName ?? compilation.AssemblyName ?? "App", routes.ToEquatableArray(), diagnostics.ToEquatableArray());
    }

    private static MiddlewareAnalysis AnalyzeMiddleware(ImmutableArray<MiddlewareFileModel> files, Compilation compilation, CancellationToken cancellationToken)
    {
        if (files.IsEmpty)
        {
            return new MiddlewareAnalysis(null, default);
        }

        var ordered = files.OrderBy(file => file.FilePath, StringComparer.Ordinal).ToList();
        var diagnostics = ordered.SelectMany(file => file.Diagnostics).ToList();

        // A misplaced file already carries its error; a second well-placed one (the same path given twice) gets one here.
        var wellPlaced = ordered.Where(file => file.IsWellPlaced).ToList();
        foreach (var duplicate in wellPlaced.Skip(1))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.MisplacedMiddleware,
                LocationInfo.WholeFile(duplicate.FilePath),
                duplicate.SourceFile,
                $"'{wellPlaced[0].FilePath}' is already the app's middleware"));
        }

        var file = wellPlaced.FirstOrDefault();
        if (file?.ClassMetadataName is null)
        {
            return new MiddlewareAnalysis(null, diagnostics.ToEquatableArray());
        }

        cancellationToken.ThrowIfCancellationRequested();
        var analyzer = MiddlewareClassAnalyzer.Create(compilation);
        if (analyzer is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.InvalidConfiguration,
                null,
                "the compilation does not reference a Cluster.Contracts with middleware (Cluster.Routing.MiddlewareResult was not found)"));
            return new MiddlewareAnalysis(null, diagnostics.ToEquatableArray());
        }

        var type = compilation.GetTypeByMetadataName(file.ClassMetadataName);
        if (type is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.InvalidMiddlewareClass,
                file.ClassLocation,
                file.SourceFile,
                $"the middleware class '{file.ClassMetadataName}' was not found in the compilation; the host project must reference the app project"));
            return new MiddlewareAnalysis(null, diagnostics.ToEquatableArray());
        }

        var middleware = analyzer.Analyze(file, type, diagnostics);
        return new MiddlewareAnalysis(diagnostics.Any(d => d.IsError) ? null : middleware, diagnostics.ToEquatableArray());
    }

    private static void Execute(
        SourceProductionContext context,
        AppOptions options,
        EquatableArray<DiagnosticInfo> treeDiagnostics,
        AppModel app,
        MiddlewareAnalysis middleware)
    {
        foreach (var diagnostic in app.Diagnostics.Concat(treeDiagnostics).Concat(middleware.Diagnostics))
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        // Without ClusterAppDirectory the project is not a cluster-app host (e.g. the app itself): emit nothing.
        if (options.AppDirectory is null)
        {
            return;
        }

        if (options.Error is not null)
        {
            context.ReportDiagnostic(options.Error.ToDiagnostic());
            return;
        }

        // With errors the build fails anyway; an empty manifest keeps the host's own code compiling so that only
        // the route errors are reported, not a cascade of "AppManifest not found".
        var hasErrors = app.Diagnostics.Any(d => d.IsError) || treeDiagnostics.Any(d => d.IsError) || middleware.Diagnostics.Any(d => d.IsError);
        var routes = hasErrors ? default : app.Routes;
        var fullName = options.ManifestNamespace.Length == 0 ? options.ManifestClassName : options.ManifestNamespace + "." + options.ManifestClassName;
        context.AddSource(fullName + ".g.cs", ManifestEmitter.Emit(options, app.AppName, routes, hasErrors ? null : middleware.Middleware));
    }
}
