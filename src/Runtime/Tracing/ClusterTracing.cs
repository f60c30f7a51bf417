namespace Cluster.Runtime.Tracing;

/// <summary>
/// The names of the cluster's traces, for listeners and exporters (README.md beside this file lists the spans). Every
/// process — gateway or silo — records its spans under these <see cref="System.Diagnostics.ActivitySource"/> names;
/// with no listener attached none of them creates an activity, so tracing costs nothing until someone listens.
/// </summary>
public static class ClusterTracing
{
    /// <summary>Every source of the cluster, as a wildcard for exporters (<c>AddSource</c>).</summary>
    public const string SourceNamePattern = "Cluster.*";

    /// <summary>The gateway's spans: its own server span (when the host has none), <c>middleware</c>, <c>dispatch …</c>.</summary>
    public const string GatewaySourceName = "Cluster.Gateway";

    /// <summary>The runtime's spans: <c>grain …</c>, one per grain call a silo runs.</summary>
    public const string RuntimeSourceName = "Cluster.Runtime";

    /// <summary>The route grains' spans: <c>handler …</c>, around the app's handler.</summary>
    public const string GrainsSourceName = "Cluster.Grains";

    /// <summary>
    /// The silo that served a call: on a <c>grain</c> span the silo it ran on; on the client span around a grain call
    /// (the gateway's <c>dispatch</c>) the silo the call was last sent to.
    /// </summary>
    public const string SiloTagName = "cluster.silo";

    /// <summary>The grain type of a <c>grain</c> span (e.g. <c>route</c>).</summary>
    public const string GrainTypeTagName = "cluster.grain.type";

    /// <summary>The grain key of a <c>grain</c> span (for a route grain, its pattern).</summary>
    public const string GrainKeyTagName = "cluster.grain.key";
}
