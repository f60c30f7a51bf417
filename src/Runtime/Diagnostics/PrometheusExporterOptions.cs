namespace Cluster.Runtime.Diagnostics;

/// <summary>Which meters <c>GET /_cluster/metrics</c> exports (section <see cref="SectionName"/>).</summary>
public sealed class PrometheusExporterOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Cluster:Metrics";

    /// <summary>The prefix every exported meter name has unless <see cref="AdditionalMeterPrefixes"/> adds others.</summary>
    public const string DefaultMeterPrefix = "Cluster.";

    /// <summary>
    /// Meter name prefixes exported besides <see cref="DefaultMeterPrefix"/> (ordinal, e.g. <c>System.Net.Http</c>).
    /// </summary>
    /// <value>Empty by default: only the cluster's own meters.</value>
    public IList<string> AdditionalMeterPrefixes { get; } = [];

    /// <summary>The most series (tag sets) kept per instrument; further tag sets are counted in one overflow series.</summary>
    /// <value>2,000 by default; at least 1.</value>
    public int MaxSeriesPerInstrument { get; set; } = 2_000;
}
