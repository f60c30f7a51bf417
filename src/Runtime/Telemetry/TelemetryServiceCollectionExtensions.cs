using Cluster.Runtime.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Telemetry;

/// <summary>Registration of the optional OTLP export, shared by a silo (<c>AddClusterRuntime</c>) and a client (<c>AddClusterClient</c>).</summary>
internal static class TelemetryServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="TelemetryOptions"/> (section <see cref="TelemetryOptions.SectionName"/>, validated at start) and the
    /// hosted service that exports over OTLP when <c>Cluster:Telemetry:OtlpEndpoint</c> is set. Registered early so
    /// its listeners exist before the silo or client starts making spans. Idempotent.
    /// </summary>
    public static IServiceCollection AddClusterTelemetryExport(this IServiceCollection services)
    {
        services.AddOptionsFromSection<TelemetryOptions>(TelemetryOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
        services.TryAddSingleton<OtlpTelemetryExport>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, OtlpTelemetryExport>(
            static sp => sp.GetRequiredService<OtlpTelemetryExport>()));
        return services;
    }
}
