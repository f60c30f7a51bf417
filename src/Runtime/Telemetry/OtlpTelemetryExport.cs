using Cluster.Runtime.Networking;
using Cluster.Runtime.Tracing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cluster.Runtime.Telemetry;

/// <summary>
/// Exports this process's traces and metrics over OTLP when <c>Cluster:Telemetry:OtlpEndpoint</c> is set: a tracer
/// provider over the <c>Cluster.*</c> sources and ASP.NET Core's, and a meter provider over the <c>Cluster.*</c> meters
/// and ASP.NET Core's, built when the host starts and disposed when it stops (which flushes what is still buffered).
/// Unset, it builds nothing, so no listener is attached and the cluster's spans are never even created.
/// </summary>
/// <remarks>
/// Built with the SDK's own builders (<c>Sdk.Create…ProviderBuilder</c>) rather than through the hosting extensions,
/// which do not restore here; the effect is the same providers, owned by this service instead of the container.
/// </remarks>
internal sealed partial class OtlpTelemetryExport : IHostedService, IDisposable
{
    private const string AspNetCoreSource = "Microsoft.AspNetCore";
    private const string AspNetCoreMeters = "Microsoft.AspNetCore.*";

    private readonly TelemetryOptions _options;
    private readonly ClusterTransportIdentity? _identity;
    private readonly IHostEnvironment? _environment;
    private readonly ILogger _logger;
    private TracerProvider? _tracerProvider;
    private MeterProvider? _meterProvider;

    public OtlpTelemetryExport(
        IOptions<TelemetryOptions> options,
        ILogger<OtlpTelemetryExport> logger,
        ClusterTransportIdentity? identity = null,
        IHostEnvironment? environment = null)
    {
        _options = options.Value;
        _identity = identity;
        _environment = environment;
        _logger = logger;
    }

    /// <summary>Whether this process exports (the endpoint is set and the providers are built).</summary>
    internal bool IsExporting => _tracerProvider is not null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_options.OtlpEndpoint is not { } endpoint || _tracerProvider is not null)
        {
            return Task.CompletedTask;
        }

        var serviceName = _options.ServiceName ?? _environment?.ApplicationName ?? "cluster";
        var resource = ResourceBuilder.CreateDefault().AddService(serviceName, serviceInstanceId: _identity?.HandshakeIdentity);
        _tracerProvider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(resource)
            .AddSource(ClusterTracing.SourceNamePattern, AspNetCoreSource)
            .AddOtlpExporter(exporter => Configure(exporter, endpoint, "v1/traces"))
            .Build();
        _meterProvider = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(resource)
            .AddMeter(ClusterTracing.SourceNamePattern, AspNetCoreMeters)
            .AddOtlpExporter(exporter => Configure(exporter, endpoint, "v1/metrics"))
            .Build();
        Log.Exporting(_logger, endpoint, _options.OtlpProtocol, serviceName);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // Disposing flushes: the spans and measurements of the last moments are sent before the process ends.
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        var tracer = Interlocked.Exchange(ref _tracerProvider, null);
        var meter = Interlocked.Exchange(ref _meterProvider, null);
        tracer?.Dispose();
        meter?.Dispose();
    }

    private void Configure(OtlpExporterOptions exporter, Uri endpoint, string signalPath)
    {
        if (_options.OtlpProtocol == OtlpProtocol.Grpc)
        {
            exporter.Protocol = OtlpExportProtocol.Grpc;
            exporter.Endpoint = endpoint;
            return;
        }

        // Over HTTP an endpoint set in code is used as it is, so the signal's path is added here (as the exporter does
        // itself for OTEL_EXPORTER_OTLP_ENDPOINT).
        exporter.Protocol = OtlpExportProtocol.HttpProtobuf;
        var baseAddress = endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/");
        exporter.Endpoint = new Uri(baseAddress, signalPath);
    }

    private static partial class Log
    {
        [LoggerMessage(4700, LogLevel.Information, "Exporting traces and metrics over OTLP to {Endpoint} ({Protocol}) as service {ServiceName}.")]
        public static partial void Exporting(ILogger logger, Uri endpoint, OtlpProtocol protocol, string serviceName);
    }
}
