using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Hosting;

/// <summary>The local silo's identity and status, e.g. for a readiness endpoint.</summary>
public interface ISiloStatus
{
    /// <summary>This silo's address (<c>host:port@generation</c>).</summary>
    SiloAddress SiloAddress { get; }

    /// <summary>The current status.</summary>
    SiloStatus Status { get; }

    /// <summary>Whether the silo takes calls: true only while <see cref="SiloStatus.Active"/>. Flips to false first on shutdown.</summary>
    bool IsReady { get; }
}
