namespace Cluster.Generators.Model;

/// <summary>A validated middleware, everything the emitter needs.</summary>
/// <param name="SourceFile">The middleware file relative to the app's directory.</param>
/// <param name="HandlerType">The middleware class, fully qualified with <c>global::</c>.</param>
/// <param name="ParameterCount">1 (request) or 2 (request, context).</param>
/// <param name="Shape">How <c>Run</c> returns its result.</param>
/// <param name="Matchers">The compiled matcher rules; empty to run everywhere.</param>
internal sealed record MiddlewareModel(
    string SourceFile,
    string HandlerType,
    int ParameterCount,
    ReturnShape Shape,
    EquatableArray<MatcherModel> Matchers);
