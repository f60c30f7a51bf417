using System.ComponentModel.DataAnnotations;

namespace Cluster.Gateway.Dashboard;

/// <summary>Settings of the gateway's dashboard (<c>/_cluster/dashboard</c>), section <c>Gateway:Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway:Dashboard";

    /// <summary>
    /// How often the dashboard samples the gateway's metrics and the silos' statistics while someone watches. Each sample
    /// is one point of the throughput and latency charts and one event on every open event stream.
    /// </summary>
    /// <value>Default 1 second; from 100 ms to 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:00.1", "00:01:00")]
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a sample waits for the silos' statistics. A silo that has not answered by then is shown with its last
    /// numbers and <c>reachable: false</c>, and is asked again once its pending request ends. At most
    /// <see cref="SampleInterval"/>, so a slow silo never slows the samples down.
    /// </summary>
    /// <value>Default 500 ms; from 10 ms to 1 minute.</value>
    [Range(typeof(TimeSpan), "00:00:00.01", "00:01:00")]
    public TimeSpan SiloTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a <c>GET /_cluster/dashboard/snapshot</c> keeps the sampler running (a polling page is a viewer
    /// too). An open event stream keeps it running for as long as it is open. With no viewer the sampler stops.
    /// </summary>
    /// <value>Default 10 seconds; from 0 to 10 minutes.</value>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ViewerTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
