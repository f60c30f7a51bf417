namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>Reads a <see cref="CounterGrain"/>.</summary>
[ReadOnly]
public sealed record GetCountRequest;
