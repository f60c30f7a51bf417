namespace Cluster.Generators.Model;

/// <summary>A parameter of a route class's constructor, filled from the service provider.</summary>
/// <param name="TypeName">The parameter's type, fully qualified with <c>global::</c>.</param>
/// <param name="IsOptional">Whether a missing service is passed as null (a nullable reference type) instead of failing.</param>
internal sealed record ConstructorParameterModel(string TypeName, bool IsOptional);
