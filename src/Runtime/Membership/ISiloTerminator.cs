namespace Cluster.Runtime.Membership;

/// <summary>
/// Stops this silo's process when the membership table says it is dead (orleans-runtime.md §1.5 self-termination): the
/// rest of the cluster has already given its grains to others, so it must not serve another call. It never comes back;
/// a restart is a new silo with a new generation.
/// </summary>
internal interface ISiloTerminator
{
    /// <summary>Starts stopping the process; called at most once, off the membership's own threads. Must not block.</summary>
    void Terminate(string reason);
}
