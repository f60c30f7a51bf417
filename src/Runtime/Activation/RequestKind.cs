namespace Cluster.Runtime.Activation;

/// <summary>How a request may overlap with the other requests of its activation (orleans-runtime.md §3.4).</summary>
internal enum RequestKind
{
    /// <summary>The default: runs alone (it may still overlap an <see cref="Interleaved"/> request).</summary>
    Blocking,

    /// <summary><see cref="ReadOnlyAttribute"/>: overlaps only with other read-only requests.</summary>
    ReadOnly,

    /// <summary><see cref="AlwaysInterleaveAttribute"/>, or any request of a <see cref="ReentrantAttribute"/> grain: never waits for another request.</summary>
    Interleaved,
}
