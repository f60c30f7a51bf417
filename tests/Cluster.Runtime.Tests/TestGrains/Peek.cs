namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>An always-interleaved struct request.</summary>
[AlwaysInterleave]
public readonly record struct Peek(int Value);
