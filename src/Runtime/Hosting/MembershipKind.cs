namespace Cluster.Runtime.Hosting;

/// <summary>Where the cluster keeps its membership table (<c>Cluster:Membership</c>).</summary>
public enum MembershipKind
{
    /// <summary>In the process: a single-process cluster (the embedded default).</summary>
    InMemory,

    /// <summary>In PostgreSQL (<c>Cluster:ConnectionString</c>): silos in many processes.</summary>
    Postgres,
}
