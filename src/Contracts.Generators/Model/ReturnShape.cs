namespace Cluster.Generators.Model;

/// <summary>How a handler (or <c>GenerateStaticParams</c>) hands back its result.</summary>
internal enum ReturnShape
{
    /// <summary>The value itself.</summary>
    Direct,

    /// <summary>A <c>Task&lt;T&gt;</c>.</summary>
    Task,

    /// <summary>A <c>ValueTask&lt;T&gt;</c>.</summary>
    ValueTask,
}
