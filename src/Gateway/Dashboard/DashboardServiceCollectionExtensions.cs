using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Dashboard;

/// <summary>Registers the dashboard's services on a gateway.</summary>
internal static class DashboardServiceCollectionExtensions
{
    /// <summary>
    /// Adds the dashboard: its options (section <see cref="DashboardOptions.SectionName"/>, validated at start), the
    /// membership event log (a hosted service, so it follows the view from the gateway's start), and the sampler, which
    /// is created on the first dashboard request and samples only while someone watches.
    /// </summary>
    public static IServiceCollection AddClusterDashboard(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>()
            .BindConfiguration(DashboardOptions.SectionName)
            .Validate(
                static options => options.SiloTimeout <= options.SampleInterval,
                "Gateway:Dashboard:SiloTimeout is longer than Gateway:Dashboard:SampleInterval; lower it, so a slow silo cannot slow the samples down.")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DashboardOptions>, DashboardOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<DashboardAssets>();
        services.TryAddSingleton<DashboardAuthenticator>();
        services.TryAddSingleton<DashboardRouteCatalog>();
        services.TryAddSingleton<DashboardSiloPoller>();
        services.TryAddSingleton<DashboardSampler>();
        services.TryAddSingleton<MembershipEventLog>();
        services.AddHostedService(static sp => sp.GetRequiredService<MembershipEventLog>());
        return services;
    }
}
