namespace Cluster.Runtime.Telemetry;

/// <summary>
/// Optional export of the cluster's traces and metrics over OTLP (section <see cref="SectionName"/>). Off unless
/// <see cref="OtlpEndpoint"/> is set; <c>GET /_cluster/metrics</c> and the dashboard never depend on it.
/// </summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "Cluster:Telemetry";

    /// <summary>
    /// The collector's base address, e.g. <c>http://otel-collector:4318</c> for <see cref="OtlpProtocol.HttpProtobuf"/>
    /// (traces go to <c>/v1/traces</c> and metrics to <c>/v1/metrics</c> under it) or <c>http://otel-collector:4317</c>
    /// for <see cref="OtlpProtocol.Grpc"/>.
    /// </summary>
    /// <value>Unset by default: nothing is exported and no listener is attached. An absolute http or https URL.</value>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>The OTLP transport.</summary>
    /// <value><see cref="OtlpProtocol.HttpProtobuf"/> by default.</value>
    public OtlpProtocol OtlpProtocol { get; set; } = OtlpProtocol.HttpProtobuf;

    /// <summary>The <c>service.name</c> of this process's telemetry.</summary>
    /// <value>Unset by default: the host's application name (e.g. <c>Cluster.Gateway</c>, <c>Cluster.Silo</c>).</value>
    public string? ServiceName { get; set; }
}
