namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>Asks a <see cref="ProbeGrain"/> to record <see cref="Value"/>; with <see cref="Release"/> the turn waits for it.</summary>
public sealed record RecordRequest(int Value, Task? Release = null, TaskCompletionSource? Started = null);
