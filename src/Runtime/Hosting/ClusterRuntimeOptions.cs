using System.ComponentModel.DataAnnotations;

namespace Cluster.Runtime.Hosting;

/// <summary>How the silo warms up and shuts down, section <c>Cluster:Runtime</c>.</summary>
public sealed class ClusterRuntimeOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Cluster:Runtime";

    /// <summary>
    /// On stop, how long running and queued calls may take to finish before activations are deactivated anyway.
    /// <c>AddClusterRuntime</c> raises the host's <c>HostOptions.ShutdownTimeout</c> above this plus
    /// <see cref="Activation.GrainCollectionOptions.DeactivationTimeout"/>.
    /// </summary>
    /// <value>Default 30 seconds; 0 to 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long the registered <see cref="ISiloStartupTask"/>s may run, together, once the silo is Active. Readiness
    /// stays false meanwhile; at the timeout the tasks still running are cancelled (logged as warnings) and the silo turns
    /// ready anyway.
    /// </summary>
    /// <value>Default 60 seconds; 1 ms to 1 day.</value>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan StartupTaskTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
