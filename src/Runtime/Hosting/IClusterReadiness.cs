namespace Cluster.Runtime.Hosting;

/// <summary>Whether this process can serve now: what <c>/_cluster/readyz</c> answers.</summary>
public interface IClusterReadiness
{
    /// <summary>True once the process has joined (a silo) or sees an active silo (a gateway), false while starting or draining.</summary>
    bool IsReady { get; }

    /// <summary>A short word on the state, for the readiness answer (e.g. <c>Joining</c>, <c>ShuttingDown</c>).</summary>
    string State { get; }
}
