namespace Cluster.PingBench;

/// <summary>The benchmark's request: an opaque payload the silo echoes back.</summary>
internal sealed record PingRequest(byte[] Payload);
