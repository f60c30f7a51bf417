using Cluster.Runtime.Telemetry;
using Cluster.Runtime.Tests.TestGrains;
using Cluster.Runtime.Tests.TestInfrastructure;
using Cluster.Runtime.Tracing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Tests.Tracing;

/// <summary>
/// The OTLP export's settings: off unless <c>Cluster:Telemetry:OtlpEndpoint</c> is set (then nothing listens, so no
/// span is ever created), and a bad endpoint is refused at start naming the setting. The export itself is tested
/// against a real collector stand-in in the gateway's tests (<c>TracingOtlpExportTests</c>).
/// </summary>
[Collection(TracingCollection.Name)]
public sealed class TelemetryExportTests
{
    [Fact]
    public async Task Silo_EndpointUnset_ExportsNothingAndNothingListens()
    {
        await using var silo = await TestSilo.StartAsync(b => b.AddGrain<EchoGrain>(EchoGrain.Type));

        var export = silo.Services.GetRequiredService<OtlpTelemetryExport>();

        Assert.False(export.IsExporting);
        Assert.False(RuntimeTracing.IsEnabled);
    }

    [Theory]
    [InlineData("ftp://collector:4318")]
    [InlineData("/relative")]
    public void Validate_EndpointNotAnAbsoluteHttpUrl_FailsNamingTheSetting(string endpoint)
    {
        var sut = new TelemetryOptionsValidator();

        var result = sut.Validate(null, new TelemetryOptions { OtlpEndpoint = new Uri(endpoint, UriKind.RelativeOrAbsolute) });

        Assert.True(result.Failed);
        Assert.Contains("Cluster:Telemetry:OtlpEndpoint", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://127.0.0.1:4318")]
    [InlineData("https://collector.example:4317")]
    public void Validate_EndpointUnsetOrHttp_Succeeds(string? endpoint)
    {
        var sut = new TelemetryOptionsValidator();

        var result = sut.Validate(null, new TelemetryOptions { OtlpEndpoint = endpoint is null ? null : new Uri(endpoint) });

        Assert.Equal(ValidateOptionsResult.Success, result);
    }
}
