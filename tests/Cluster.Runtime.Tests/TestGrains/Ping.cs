namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>A struct request, so a call allocates nothing on the caller's side either.</summary>
public readonly record struct Ping(int Value);
