namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>Enters <see cref="Tracker"/>, waits for <see cref="Release"/>, then leaves (a blocking request).</summary>
public sealed record WaitRequest(ConcurrencyTracker Tracker, Task Release);
