using System.ComponentModel.DataAnnotations;

namespace Cluster.Runtime.Hosting;

/// <summary>How the silo shuts down, section <c>Cluster:Runtime</c>.</summary>
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
}
