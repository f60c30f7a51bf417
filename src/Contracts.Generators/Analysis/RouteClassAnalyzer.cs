using System.Collections.Generic;
using System.Linq;
using Cluster.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Cluster.Generators.Analysis;

/// <summary>
/// The semantic pass over one route class: finds its handlers, constructor, <c>Config</c> and
/// <c>GenerateStaticParams</c> and checks their shapes against app-api.md. Symbols never leave this type; it hands
/// back a value model.
/// </summary>
internal sealed class RouteClassAnalyzer
{
    // C# method name and RouteMethod member, in RouteMethod order.
    private static readonly (string MethodName, string EnumMember)[] s_httpMethods =
    [
        ("GET", "Get"),
        ("HEAD", "Head"),
        ("OPTIONS", "Options"),
        ("POST", "Post"),
        ("PUT", "Put"),
        ("PATCH", "Patch"),
        ("DELETE", "Delete"),
    ];

    private readonly INamedTypeSymbol _response;
    private readonly INamedTypeSymbol _request;
    private readonly INamedTypeSymbol _context;
    private readonly INamedTypeSymbol _config;
    private readonly INamedTypeSymbol _params;
    private readonly AwaitableTypes _awaitables;
    private readonly INamedTypeSymbol? _enumerable;

    private RouteClassAnalyzer(
        INamedTypeSymbol response,
        INamedTypeSymbol request,
        INamedTypeSymbol context,
        INamedTypeSymbol config,
        INamedTypeSymbol routeParams,
        Compilation compilation)
    {
        _response = response;
        _request = request;
        _context = context;
        _config = config;
        _params = routeParams;
        _awaitables = new AwaitableTypes(compilation);
        _enumerable = compilation.GetTypeByMetadataName("System.Collections.Generic.IEnumerable`1");
    }

    /// <summary>Creates an analyzer, or returns null when the compilation does not reference Cluster.Contracts.</summary>
    public static RouteClassAnalyzer? Create(Compilation compilation)
    {
        var response = compilation.GetTypeByMetadataName("Cluster.Routing.RouteResponse");
        var request = compilation.GetTypeByMetadataName("Cluster.Routing.RouteRequest");
        var context = compilation.GetTypeByMetadataName("Cluster.Routing.RouteContext");
        var config = compilation.GetTypeByMetadataName("Cluster.Routing.RouteConfig");
        var routeParams = compilation.GetTypeByMetadataName("Cluster.Routing.RouteParams");
        return response is null || request is null || context is null || config is null || routeParams is null
            ? null
            : new RouteClassAnalyzer(response, request, context, config, routeParams, compilation);
    }

    /// <summary>Analyses the class of a routable file; reports faults to <paramref name="diagnostics"/>.</summary>
    /// <param name="file">The file (with a pattern and a class name).</param>
    /// <param name="type">The resolved route class.</param>
    /// <param name="diagnostics">Receives the faults.</param>
    /// <returns>The route, or null when it has faults.</returns>
    public RouteModel? Analyze(RouteFileModel file, INamedTypeSymbol type, List<DiagnosticInfo> diagnostics)
    {
        var errorCount = diagnostics.Count;
        var typeName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        var displayName = type.ToDisplayString();

        if (type.IsGenericType)
        {
            Report(DiagnosticDescriptors.InvalidRouteClass, file.ClassLocation, displayName, file.SourceFile, "a route class cannot be generic");
        }

        var handlers = new List<HandlerModel>();
        var declaresHandler = false;
        foreach (var (methodName, enumMember) in s_httpMethods)
        {
            var candidates = type.GetMembers(methodName)
                .OfType<IMethodSymbol>()
                .Where(m => m.MethodKind == MethodKind.Ordinary && m.DeclaredAccessibility == Accessibility.Public)
                .ToList();
            if (candidates.Count == 0)
            {
                continue;
            }

            declaresHandler = true;
            var location = LocationOf(file, methodName);
            if (candidates.Count > 1)
            {
                Report(DiagnosticDescriptors.DuplicateHandler, location, methodName, file.SourceFile);
                continue;
            }

            var handler = AnalyzeHandler(file, candidates[0], enumMember, location, diagnostics);
            if (handler is not null)
            {
                handlers.Add(handler);
            }
        }

        if (!declaresHandler)
        {
            Report(DiagnosticDescriptors.NoHandler, file.ClassLocation, file.SourceFile);
        }

        var needsInstance = handlers.Any(h => !h.IsStatic);
        var constructorParameters = needsInstance
            ? AnalyzeConstructor(file, type, displayName, diagnostics)
            : [];
        var hasConfig = AnalyzeConfig(file, type, displayName, diagnostics);
        var staticParams = AnalyzeStaticParams(file, type, displayName, diagnostics);

        if (diagnostics.Count != errorCount)
        {
            return null;
        }

        return new RouteModel(
            file.Pattern!,
            file.SourceFile,
            typeName,
            handlers.ToEquatableArray(),
            needsInstance,
            constructorParameters.ToEquatableArray(),
            hasConfig,
            staticParams);

        void Report(DiagnosticDescriptor descriptor, LocationInfo location, params string[] arguments) =>
            diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));
    }

    private static LocationInfo LocationOf(RouteFileModel file, string memberName) =>
        file.Members.FirstOrDefault(m => m.Name == memberName)?.Location ?? file.ClassLocation;

    private static string Describe(IMethodSymbol method) =>
        string.Join(", ", method.Parameters.Select(p => (p.RefKind == RefKind.None ? string.Empty : p.RefKind.ToString().ToLowerInvariant() + " ") + p.Type.ToDisplayString()));

    private HandlerModel? AnalyzeHandler(RouteFileModel file, IMethodSymbol method, string enumMember, LocationInfo location, List<DiagnosticInfo> diagnostics)
    {
        var valid = true;
        var parameters = method.Parameters;
        var parametersValid = !method.IsGenericMethod
            && parameters.Length <= 2
            && parameters.All(p => p.RefKind == RefKind.None && !p.IsParams)
            && (parameters.Length < 1 || SymbolEqualityComparer.Default.Equals(parameters[0].Type, _request))
            && (parameters.Length < 2 || SymbolEqualityComparer.Default.Equals(parameters[1].Type, _context));
        if (!parametersValid)
        {
            var described = method.IsGenericMethod ? "<" + string.Join(", ", method.TypeParameters.Select(t => t.Name)) + ">" + Describe(method) : Describe(method);
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHandlerParameters, location, method.Name, file.SourceFile, described));
            valid = false;
        }

        var shape = method.ReturnsByRef || method.ReturnsByRefReadonly ? null : _awaitables.ShapeOf(method.ReturnType, _response);
        if (shape is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidHandlerReturnType, location, method.Name, file.SourceFile, method.ReturnType.ToDisplayString()));
            valid = false;
        }

        return valid ? new HandlerModel(method.Name, enumMember, parameters.Length, shape!.Value, method.IsStatic) : null;
    }

    private List<ConstructorParameterModel> AnalyzeConstructor(RouteFileModel file, INamedTypeSymbol type, string displayName, List<DiagnosticInfo> diagnostics)
    {
        var result = new List<ConstructorParameterModel>();
        var location = LocationOf(file, ".ctor");
        if (type.IsAbstract)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidRouteClass, file.ClassLocation, displayName, file.SourceFile, "it has instance handlers but is abstract"));
            return result;
        }

        var constructors = type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).ToList();
        if (constructors.Count != 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.InvalidRouteClass,
                location,
                displayName,
                file.SourceFile,
                $"it has instance handlers, so it needs exactly one public constructor (it has {constructors.Count})"));
            return result;
        }

        foreach (var parameter in constructors[0].Parameters)
        {
            var parameterType = parameter.Type;
            if (parameter.RefKind != RefKind.None
                || parameterType.IsRefLikeType
                || parameterType.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.TypeParameter or TypeKind.Dynamic)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.InvalidRouteClass,
                    location,
                    displayName,
                    file.SourceFile,
                    $"the constructor parameter '{parameter.Name}' cannot be resolved from the service provider"));
                continue;
            }

            // A nullable reference parameter says the service is optional: pass null rather than fail.
            var isOptional = parameterType.IsReferenceType && parameter.NullableAnnotation == NullableAnnotation.Annotated;
            var typeName = parameterType.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
            result.Add(new ConstructorParameterModel(typeName, isOptional));
        }

        return result;
    }

    private bool AnalyzeConfig(RouteFileModel file, INamedTypeSymbol type, string displayName, List<DiagnosticInfo> diagnostics)
    {
        var (present, valid) = ConfigMember.Check(type, _config);
        if (!present)
        {
            return false;
        }

        if (!valid)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidConfig, LocationOf(file, "Config"), displayName, file.SourceFile));
        }

        return valid;
    }

    private ReturnShape? AnalyzeStaticParams(RouteFileModel file, INamedTypeSymbol type, string displayName, List<DiagnosticInfo> diagnostics)
    {
        var members = type.GetMembers("GenerateStaticParams").Where(m => m.DeclaredAccessibility == Accessibility.Public).ToList();
        if (members.Count == 0)
        {
            return null;
        }

        ReturnShape? shape = null;
        if (members.Count == 1
            && members[0] is IMethodSymbol { IsStatic: true, IsGenericMethod: false, Parameters.Length: 0, ReturnsByRef: false } method
            && _enumerable is not null
            && method.ReturnType is INamedTypeSymbol returnType)
        {
            var enumerableOfParams = _enumerable.Construct(_params);
            shape = _awaitables.ShapeOf(returnType, enumerableOfParams);
        }

        if (shape is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidGenerateStaticParams, LocationOf(file, "GenerateStaticParams"), displayName, file.SourceFile));
        }

        return shape;
    }
}
