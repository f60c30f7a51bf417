namespace Cluster.Generators.Model;

/// <summary>A validated route, everything the emitter needs.</summary>
/// <param name="Pattern">The normalised URL pattern.</param>
/// <param name="SourceFile">The route file relative to the app's directory.</param>
/// <param name="HandlerType">The route class, fully qualified with <c>global::</c>.</param>
/// <param name="Handlers">The handlers in <c>RouteMethod</c> order.</param>
/// <param name="NeedsInstance">Whether some handler is an instance method, so the class is built from services.</param>
/// <param name="ConstructorParameters">The constructor's parameters when <paramref name="NeedsInstance"/>.</param>
/// <param name="HasConfig">Whether the class declares <c>Config</c>.</param>
/// <param name="StaticParams">The shape of <c>GenerateStaticParams</c>, or null when the class has none.</param>
internal sealed record RouteModel(
    string Pattern,
    string SourceFile,
    string HandlerType,
    EquatableArray<HandlerModel> Handlers,
    bool NeedsInstance,
    EquatableArray<ConstructorParameterModel> ConstructorParameters,
    bool HasConfig,
    ReturnShape? StaticParams);
