using System.ComponentModel.DataAnnotations;

namespace Cluster.Runtime.Hosting;

/// <summary>The silo's identity and shutdown behaviour.</summary>
public sealed class ClusterRuntimeOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Cluster:Runtime";

    /// <summary>The host name or IP other silos and gateways reach this silo on (part of its <see cref="Identity.SiloAddress"/>).</summary>
    /// <value>Default <c>localhost</c>.</value>
    [Required]
    [MinLength(1)]
    public string SiloHost { get; set; } = "localhost";

    /// <summary>The silo-to-silo port; 0 while the silo is in-process only (the transport is a later issue).</summary>
    /// <value>Default 0; 0 to 65535.</value>
    [Range(0, 65535)]
    public int SiloPort { get; set; }

    /// <summary>
    /// On stop, how long running and queued calls may take to finish before activations are deactivated anyway.
    /// <c>AddClusterRuntime</c> raises the host's <c>HostOptions.ShutdownTimeout</c> above this plus
    /// <see cref="Activation.GrainCollectionOptions.DeactivationTimeout"/>.
    /// </summary>
    /// <value>Default 30 seconds; 0 to 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
