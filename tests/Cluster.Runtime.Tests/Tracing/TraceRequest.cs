namespace Cluster.Runtime.Tests.Tracing;

/// <summary>Asks a <see cref="TraceGrain"/> for the activity current in its turn.</summary>
public sealed record TraceRequest;
