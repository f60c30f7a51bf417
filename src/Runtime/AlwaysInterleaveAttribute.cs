namespace Cluster.Runtime;

/// <summary>
/// Marks a request type that may run alongside any other request of the same activation, even on a non-reentrant
/// grain (e.g. a status probe or a cancellation). Like <see cref="ReentrantAttribute"/>, it runs in parallel, not merely
/// interleaved at awaits.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false, AllowMultiple = false)]
public sealed class AlwaysInterleaveAttribute : Attribute;
