using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Telemetry;

/// <summary>Validates <see cref="TelemetryOptions"/>, naming the setting to fix.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.OtlpEndpoint is { } endpoint
            && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            return ValidateOptionsResult.Fail(
                $"Cluster:Telemetry:OtlpEndpoint must be an absolute http or https URL (e.g. http://otel-collector:4318); it is '{endpoint}'.");
        }

        if (!Enum.IsDefined(options.OtlpProtocol))
        {
            return ValidateOptionsResult.Fail("Cluster:Telemetry:OtlpProtocol must be HttpProtobuf or Grpc.");
        }

        if (options.ServiceName is { } serviceName && string.IsNullOrWhiteSpace(serviceName))
        {
            return ValidateOptionsResult.Fail("Cluster:Telemetry:ServiceName is blank; remove it to use the application's name.");
        }

        return ValidateOptionsResult.Success;
    }
}
