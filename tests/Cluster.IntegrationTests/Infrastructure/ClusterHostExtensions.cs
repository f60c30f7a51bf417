using Cluster.Runtime.Activation;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>What a test reads from a running silo.</summary>
internal static class ClusterHostExtensions
{
    /// <summary>The route patterns with an activation on this silo now.</summary>
    public static string[] ActivatedRoutes(this ClusterHost silo)
        => [.. silo.Services.GetRequiredService<ActivationCatalog>().Activations.Select(static a => a.GrainId.Key).Order(StringComparer.Ordinal)];

    /// <summary>The silo's address (<c>host:port@generation</c>).</summary>
    public static SiloAddress SiloAddress(this ClusterHost silo) => silo.Services.GetRequiredService<ISiloStatus>().SiloAddress;

    /// <summary>How many times this silo activated a route grain for <paramref name="pattern"/> (from its Debug log).</summary>
    public static int ActivationCount(this ClusterHost silo, string pattern)
        => silo.Logs.Entries.Count(e => e.EventId.Id == 4001 && e.Message.Contains("route/" + pattern + " ", StringComparison.Ordinal));
}
