namespace Cluster.PingBench;

/// <summary>Which grains the callers of a runtime run call.</summary>
internal enum GrainLayout
{
    /// <summary>Every caller calls the same <see cref="ReentrantPingGrain"/>, whose requests never wait for each other.</summary>
    Shared,

    /// <summary>Each caller calls its own <see cref="PingGrain"/> (non-reentrant: one turn at a time per grain).</summary>
    PerCaller,
}
