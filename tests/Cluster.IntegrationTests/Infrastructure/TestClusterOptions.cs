using Cluster.Routing.Hosting;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>How <see cref="TestCluster.StartAsync(TestClusterOptions)"/> builds a cluster.</summary>
public sealed class TestClusterOptions
{
    /// <summary>Silos started first, one after another. Default 3.</summary>
    public int Silos { get; init; } = 3;

    /// <summary>Gateways without a silo of their own, started after the silos. Default 1.</summary>
    public int Gateways { get; init; } = 1;

    /// <summary>Extra <c>--Key=value</c> settings for every process.</summary>
    public string[] Settings { get; init; } = [];

    /// <summary>The app every process serves. Default the sample app (<see cref="ShopAppManifest"/>).</summary>
    public ClusterAppManifest App { get; init; } = ShopAppManifest.Instance;

    /// <summary>
    /// One clock for the route cache of every process (silos and gateways), registered as their
    /// <c>Cluster.Grains.Caching.RouteCacheClock</c>; <c>null</c> leaves each process its default (the system clock).
    /// The runtime's own <see cref="TimeProvider"/> stays the system's: membership timers must keep real time.
    /// </summary>
    public TimeProvider? CacheTime { get; init; }
}
