namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>Increments a <see cref="CounterGrain"/> (a blocking request).</summary>
public sealed record IncrementRequest;
