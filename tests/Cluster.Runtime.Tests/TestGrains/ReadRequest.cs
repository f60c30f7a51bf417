namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>A read-only request to <see cref="ReadWriteGrain"/> that waits for <see cref="Release"/>.</summary>
[ReadOnly]
public sealed record ReadRequest(ConcurrencyTracker Tracker, Task Release);
