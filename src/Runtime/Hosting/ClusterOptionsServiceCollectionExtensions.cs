using Cluster.Runtime.Membership;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Hosting;

/// <summary>Options registration shared by a silo (<c>AddClusterRuntime</c>) and a cluster client (<c>AddClusterClient</c>).</summary>
internal static class ClusterOptionsServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates at start the options every cluster member reads: <see cref="ClusterOptions"/> (which cluster,
    /// which membership store) and <see cref="ClusterMembershipOptions"/> (liveness).
    /// </summary>
    public static IServiceCollection AddClusterOptions(this IServiceCollection services)
    {
        services.AddOptionsFromSection<ClusterOptions>(ClusterOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterOptions>, ClusterOptionsValidator>());
        services.AddOptionsFromSection<ClusterMembershipOptions>(ClusterMembershipOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ClusterMembershipOptions>, ClusterMembershipOptionsValidator>());
        return services;
    }

    /// <summary>
    /// Adds <typeparamref name="TOptions"/>, bound from <paramref name="sectionName"/> when an <see cref="IConfiguration"/>
    /// is registered (a bare service collection, as in tests, has none) and validated when the host starts.
    /// </summary>
    public static OptionsBuilder<TOptions> AddOptionsFromSection<TOptions>(this IServiceCollection services, string sectionName)
        where TOptions : class
        => services.AddOptions<TOptions>()
            .Configure<IServiceProvider>((options, sp) => sp.GetService<IConfiguration>()?.GetSection(sectionName).Bind(options))
            .ValidateOnStart();
}
