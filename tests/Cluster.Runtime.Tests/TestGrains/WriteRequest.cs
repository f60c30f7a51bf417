namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>A blocking request to <see cref="ReadWriteGrain"/> that waits for <see cref="Release"/>.</summary>
public sealed record WriteRequest(ConcurrencyTracker Tracker, Task Release);
