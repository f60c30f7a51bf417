using System.ComponentModel.DataAnnotations;

namespace Cluster.Runtime.Hosting;

/// <summary>Where a silo serves the cluster protocol, section <c>Silo</c> (see cluster-ops.md).</summary>
public sealed class SiloOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Silo";

    /// <summary>The TCP port of the cluster protocol.</summary>
    /// <value>Default 11111; 1 to 65535.</value>
    [Range(1, 65535)]
    public int Port { get; set; } = 11111;

    /// <summary>The address peers use to reach this silo (in Kubernetes: the pod IP); part of the silo's identity.</summary>
    /// <value>Default <c>127.0.0.1</c>.</value>
    [Required]
    [MinLength(1)]
    public string AdvertisedHost { get; set; } = "127.0.0.1";

    /// <summary>
    /// The local address the protocol listens on. Unset: the advertised host when it is an IP address of this machine
    /// (so a test or a laptop binds loopback only), otherwise every interface.
    /// </summary>
    public string? ListenAddress { get; set; }

    /// <summary>The silo's name in the membership table (in Kubernetes, the pod name). Unset: the machine name.</summary>
    public string? SiloName { get; set; }
}
