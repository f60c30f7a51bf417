using System.ComponentModel.DataAnnotations;

namespace Cluster.Gateway.Hosting;

/// <summary>Settings of the gateway, section <c>Gateway</c>.</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway";

    /// <summary>
    /// Host a silo inside the gateway process.
    /// </summary>
    /// <value>Default: <c>true</c> with <c>InMemory</c> membership, else <c>false</c>.</value>
    public bool? HostSilo { get; set; }

    /// <summary>The largest request body the gateway accepts; a larger one gets 413.</summary>
    /// <value>Default 4 MiB (4,194,304 bytes); 0 to 1 GiB.</value>
    [Range(0, 1L << 30)]
    public long MaxRequestBodySize { get; set; } = 4L * 1024 * 1024;

    /// <summary>The longest request target (path and query) the gateway accepts; a longer one gets 414.</summary>
    /// <value>Default 8,192 characters; 256 to 65,536.</value>
    [Range(256, 65_536)]
    public int MaxUrlLength { get; set; } = 8_192;

    /// <summary>
    /// How long a stopping gateway keeps serving after its readiness turned 503, before it stops listening: the time a
    /// load balancer (an Ingress, a Service's endpoints, a front proxy probing readiness) needs to stop sending it new
    /// requests. Without it, requests already routed to the gateway meet a closed port during a rollout.
    /// </summary>
    /// <value>Default 0 (stop listening at once); 0 to 5 minutes. The host's shutdown timeout is raised by as much.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan DrainDelay { get; set; } = TimeSpan.Zero;
}
