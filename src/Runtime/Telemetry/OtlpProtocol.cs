namespace Cluster.Runtime.Telemetry;

/// <summary>How traces and metrics are sent to <see cref="TelemetryOptions.OtlpEndpoint"/>.</summary>
public enum OtlpProtocol
{
    /// <summary>OTLP/HTTP with protobuf bodies: POSTs to <c>/v1/traces</c> and <c>/v1/metrics</c> under the endpoint (port 4318 by convention).</summary>
    HttpProtobuf,

    /// <summary>OTLP/gRPC to the endpoint itself (port 4317 by convention).</summary>
    Grpc,
}
