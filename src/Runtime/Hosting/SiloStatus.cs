namespace Cluster.Runtime.Hosting;

/// <summary>A silo's status (orleans-runtime.md §1.1). It only moves forward; <see cref="Dead"/> is final.</summary>
public enum SiloStatus
{
    /// <summary>Not created.</summary>
    None,

    /// <summary>Created, not started.</summary>
    Created,

    /// <summary>Starting (joining the cluster, once there is one).</summary>
    Joining,

    /// <summary>Serving calls; the only ready status.</summary>
    Active,

    /// <summary>Graceful stop: new calls are refused, running ones finish, then activations are deactivated.</summary>
    ShuttingDown,

    /// <summary>Ungraceful stop: the host's stop deadline passed before the graceful protocol finished.</summary>
    Stopping,

    /// <summary>Stopped. A silo never comes back from here; a restart is a new silo with a new generation.</summary>
    Dead,
}
