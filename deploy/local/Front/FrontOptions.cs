using System.ComponentModel.DataAnnotations;

namespace Cluster.LocalFront;

/// <summary>Settings of the front (section <c>Front</c>).</summary>
internal sealed class FrontOptions
{
    public const string SectionName = "Front";

    /// <summary>
    /// A file with one gateway base address a line (<c>http://127.0.0.1:5001</c>), the local stand-in's list of
    /// gateway "pods", ready or not. Re-read on every probe round, so the scripts add and remove gateways by rewriting it.
    /// </summary>
    [Required]
    public string BackendsFile { get; set; } = "";

    /// <summary>How often every listed gateway's <c>/_cluster/readyz</c> is asked. <value>Default 250 ms.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long one readiness probe may take before the gateway counts as not ready. <value>Default 1 s.</value></summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
