namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>Asks a <see cref="ProbeGrain"/> to call <c>DeactivateOnIdle</c>.</summary>
public sealed record DeactivateSelfRequest;
