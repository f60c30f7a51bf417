using Cluster.Generators.Model;
using Microsoft.CodeAnalysis;

namespace Cluster.Generators.Analysis;

/// <summary>
/// Recognises <c>T</c>, <c>Task&lt;T&gt;</c> and <c>ValueTask&lt;T&gt;</c> in a compilation: the return types a route
/// handler, <c>GenerateStaticParams</c> and the middleware's <c>Run</c> may declare.
/// </summary>
internal sealed class AwaitableTypes
{
    private readonly INamedTypeSymbol? _task;
    private readonly INamedTypeSymbol? _valueTask;

    public AwaitableTypes(Compilation compilation)
    {
        _task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        _valueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
    }

    /// <summary><paramref name="expected"/> itself, a Task or a ValueTask of it; anything else (including a nested
    /// type argument that differs) is null.</summary>
    public ReturnShape? ShapeOf(ITypeSymbol type, ITypeSymbol? expected)
    {
        if (SymbolEqualityComparer.Default.Equals(type, expected))
        {
            return ReturnShape.Direct;
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
            && SymbolEqualityComparer.Default.Equals(generic.TypeArguments[0], expected))
        {
            if (SymbolEqualityComparer.Default.Equals(generic.OriginalDefinition, _task))
            {
                return ReturnShape.Task;
            }

            if (SymbolEqualityComparer.Default.Equals(generic.OriginalDefinition, _valueTask))
            {
                return ReturnShape.ValueTask;
            }
        }

        return null;
    }
}
