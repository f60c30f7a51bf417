using System.Collections.Generic;
using System.Linq;
using Cluster.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Cluster.Generators.Analysis;

/// <summary>
/// The semantic pass over the middleware class: a static class with one <c>public static Run</c> of a supported
/// signature and, optionally, a <c>public static MiddlewareConfig Config</c>. Middleware is static on purpose: it runs
/// on every matched request in the gateway, before routing, so it holds no per-instance state or services.
/// Symbols never leave this type; it hands back a value model.
/// </summary>
internal sealed class MiddlewareClassAnalyzer
{
    private readonly INamedTypeSymbol _result;
    private readonly INamedTypeSymbol _request;
    private readonly INamedTypeSymbol _context;
    private readonly INamedTypeSymbol _config;
    private readonly AwaitableTypes _awaitables;

    private MiddlewareClassAnalyzer(
        INamedTypeSymbol result,
        INamedTypeSymbol request,
        INamedTypeSymbol context,
        INamedTypeSymbol config,
        Compilation compilation)
    {
        _result = result;
        _request = request;
        _context = context;
        _config = config;
        _awaitables = new AwaitableTypes(compilation);
    }

    /// <summary>Creates an analyzer, or returns null when the compilation does not reference Cluster.Contracts (with middleware).</summary>
    public static MiddlewareClassAnalyzer? Create(Compilation compilation)
    {
        var result = compilation.GetTypeByMetadataName("Cluster.Routing.MiddlewareResult");
        var request = compilation.GetTypeByMetadataName("Cluster.Routing.RouteRequest");
        var context = compilation.GetTypeByMetadataName("Cluster.Routing.MiddlewareContext");
        var config = compilation.GetTypeByMetadataName("Cluster.Routing.MiddlewareConfig");
        return result is null || request is null || context is null || config is null
            ? null
            : new MiddlewareClassAnalyzer(result, request, context, config, compilation);
    }

    /// <summary>Analyses the middleware class; reports faults to <paramref name="diagnostics"/>.</summary>
    /// <param name="file">The middleware file (with a class name).</param>
    /// <param name="type">The resolved middleware class.</param>
    /// <param name="diagnostics">Receives the faults.</param>
    /// <returns>The middleware, or null when it has faults.</returns>
    public MiddlewareModel? Analyze(MiddlewareFileModel file, INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        var errorCount = diagnostics.Count;
        var displayName = type.ToDisplayString();

        if (type.IsGenericType)
        {
            Report(DiagnosticDescriptors.InvalidMiddlewareClass, file.ClassLocation, file.SourceFile, $"the middleware class '{displayName}' cannot be generic");
        }

        if (!type.IsStatic)
        {
            Report(
                DiagnosticDescriptors.InvalidMiddlewareClass,
                file.ClassLocation,
                file.SourceFile,
                $"middleware is static: declare 'public static class {type.Name}' (it holds no state between requests)");
        }

        var run = AnalyzeRun(file, type, displayName, diagnostics);
        AnalyzeConfig(file, type, displayName, diagnostics);

        if (diagnostics.Count != errorCount || run is null)
        {
            return null;
        }

        return new MiddlewareModel(
            file.SourceFile,
            type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            run.Value.ParameterCount,
            run.Value.Shape,
            file.Matchers);

        void Report(DiagnosticDescriptor descriptor, LocationInfo location, params string[] arguments) =>
            diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));
    }

    private static LocationInfo LocationOf(MiddlewareFileModel file, string memberName) =>
        file.Members.FirstOrDefault(m => m.Name == memberName)?.Location ?? file.ClassLocation;

    private (int ParameterCount, ReturnShape Shape)? AnalyzeRun(MiddlewareFileModel file, INamedTypeSymbol type, string displayName, List<DiagnosticInfo> diagnostics)
    {
        var location = LocationOf(file, "Run");
        var candidates = type.GetMembers("Run")
            .OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && m.DeclaredAccessibility == Accessibility.Public)
            .ToList();
        if (candidates.Count != 1)
        {
            var problem = candidates.Count == 0 ? "the class declares no public method named Run" : "Run is declared more than once (overloads)";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidMiddlewareRun, location, displayName, file.SourceFile, problem));
            return null;
        }

        var method = candidates[0];
        var problems = new List<string>();
        if (!method.IsStatic)
        {
            problems.Add("it is an instance method");
        }

        var parameters = method.Parameters;
        var parametersValid = !method.IsGenericMethod
            && parameters.Length is 1 or 2
            && parameters.All(p => p.RefKind == RefKind.None && !p.IsParams)
            && SymbolEqualityComparer.Default.Equals(parameters[0].Type, _request)
            && (parameters.Length < 2 || SymbolEqualityComparer.Default.Equals(parameters[1].Type, _context));
        if (!parametersValid)
        {
            var described = string.Join(", ", parameters.Select(p => (p.RefKind == RefKind.None ? string.Empty : p.RefKind.ToString().ToLowerInvariant() + " ") + p.Type.ToDisplayString()));
            problems.Add(method.IsGenericMethod ? $"it is generic and takes ({described})" : $"it takes ({described})");
        }

        var shape = method.ReturnsByRef || method.ReturnsByRefReadonly ? null : _awaitables.ShapeOf(method.ReturnType, _result);
        if (shape is null)
        {
            problems.Add($"it returns '{method.ReturnType.ToDisplayString()}'");
        }

        if (problems.Count > 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidMiddlewareRun, location, displayName, file.SourceFile, string.Join(", ", problems)));
            return null;
        }

        return (parameters.Length, shape!.Value);
    }

    private void AnalyzeConfig(MiddlewareFileModel file, INamedTypeSymbol type, string displayName, List<DiagnosticInfo> diagnostics)
    {
        var (present, valid) = ConfigMember.Check(type, _config);
        if (!present)
        {
            return;
        }

        if (!valid)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.InvalidMiddlewareClass,
                LocationOf(file, "Config"),
                file.SourceFile,
                $"the member 'Config' of '{displayName}' must be a public static property of type Cluster.Routing.MiddlewareConfig"));
        }
    }
}
