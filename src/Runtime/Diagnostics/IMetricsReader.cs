namespace Cluster.Runtime.Diagnostics;

/// <summary>
/// Reads this host's cluster meters (the same aggregation <c>GET /_cluster/metrics</c> renders) as data rather than
/// text: what the dashboard and the silo's statistics are built from, so the numbers they show are the numbers a
/// Prometheus scrape sees. Reads are serialised with scrapes and may allocate; recording is unaffected.
/// </summary>
public interface IMetricsReader
{
    /// <summary>Reads the observable instruments and returns every instrument that has at least one series.</summary>
    MetricsReading Read();
}
