using Cluster.Runtime.Hosting;
using Cluster.Runtime.Membership.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Membership;

/// <summary>Registers the cluster's membership table.</summary>
public static class MembershipServiceCollectionExtensions
{
    private const string MissingConnectionString =
        "Cluster:Membership is Postgres but Cluster:ConnectionString is not set; set it to an Npgsql connection string (or use Cluster:Membership=InMemory for a single process).";

    /// <summary>
    /// Adds the <see cref="IMembershipTable"/> chosen by <see cref="ClusterOptions"/> (section <c>Cluster</c>, bound
    /// when an <see cref="IConfiguration"/> is registered): <see cref="MembershipKind.InMemory"/> gives a private
    /// <see cref="InMemoryMembershipTable"/>, <see cref="MembershipKind.Postgres"/> a <see cref="PostgresMembershipTable"/>
    /// on <c>Cluster:ConnectionString</c> for <c>Cluster:ClusterId</c>. Registered with <c>TryAdd</c>, so a table added
    /// before (a test cluster's shared one) wins. Postgres without a connection string fails at startup.
    /// </summary>
    public static IServiceCollection AddMembershipTable(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        services.AddLogging();
        services.AddOptions<ClusterOptions>()
            .Configure<IServiceProvider>(static (options, sp) => sp.GetService<IConfiguration>()?.GetSection(ClusterOptions.SectionName).Bind(options))
            .Validate(static options => options.Membership != MembershipKind.Postgres || !string.IsNullOrWhiteSpace(options.ConnectionString), MissingConnectionString)
            .ValidateOnStart();
        services.TryAddSingleton<IMembershipTable>(static sp => CreateTable(sp));
        return services;
    }

    private static IMembershipTable CreateTable(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ClusterOptions>>().Value;
        switch (options.Membership)
        {
            case MembershipKind.InMemory:
                return new InMemoryMembershipTable();

            case MembershipKind.Postgres:
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                {
                    throw new InvalidOperationException(MissingConnectionString);
                }

                if (string.IsNullOrWhiteSpace(options.ClusterId))
                {
                    throw new InvalidOperationException("Cluster:ClusterId is empty; set it to the id shared by this cluster's silos and gateways.");
                }

                var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger<PostgresMembershipTable>();
                return new PostgresMembershipTable(options.ConnectionString, options.ClusterId, logger);

            default:
                throw new InvalidOperationException($"Cluster:Membership '{options.Membership}' is not supported; use InMemory or Postgres.");
        }
    }
}
