namespace Cluster.Runtime.Hosting;

/// <summary>Settings shared by gateways and silos, section <c>Cluster</c> (see cluster-ops.md).</summary>
public sealed class ClusterOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Cluster";

    /// <summary>Where membership is kept.</summary>
    /// <value>Default <see cref="MembershipKind.InMemory"/>.</value>
    public MembershipKind Membership { get; set; } = MembershipKind.InMemory;

    /// <summary>The Npgsql connection string, required with <see cref="MembershipKind.Postgres"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Silos and gateways of different cluster ids never talk.</summary>
    /// <value>Default <c>dev</c>.</value>
    public string ClusterId { get; set; } = "dev";

    /// <summary>The shared secret peers prove in the handshake; required with <see cref="MembershipKind.Postgres"/>.</summary>
    public string? Secret { get; set; }

    /// <summary>The bearer token of <c>/_cluster/revalidate</c> and the dashboard outside Development.</summary>
    public string? AdminToken { get; set; }
}
