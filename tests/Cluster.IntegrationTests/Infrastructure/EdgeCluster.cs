namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>
/// Test clusters serving tests/TestApps/EdgeApp with one controllable route-cache clock, and the names of its
/// cluster-cache routes (app/cluster-cache: render counts, gates and failures through <c>EdgeApp.ClusterCacheProbes</c>).
/// </summary>
internal static class EdgeCluster
{
    /// <summary>ISR, stale 60 s after a render; probe key <c>isr/{key}</c>.</summary>
    public const string IsrPattern = "/cluster-cache/isr/[key]";

    /// <summary>GenerateStaticParams alpha, beta, gamma with DynamicParams = false.</summary>
    public const string ListedPattern = "/cluster-cache/listed/[id]";

    /// <summary>The tag of every spread route.</summary>
    public const string SpreadTag = "cluster-cache-spread";

    /// <summary>
    /// Six tagged cached routes, a different grain each, so they land on different silos: a, c, e are ISR (an hour),
    /// b, d, f force-static. Each one's POST revalidates <see cref="SpreadTag"/>.
    /// </summary>
    public static readonly string[] SpreadRoutes = ["a", "b", "c", "d", "e", "f"];

    public static string SpreadPattern(string route) => $"/cluster-cache/spread/{route}/[key]";

    public static string SpreadPath(string route, string key) => $"/cluster-cache/spread/{route}/{key}";

    public static string SpreadProbe(string route, string key) => $"spread/{route}/{key}";

    public static string IsrPath(string key) => "/cluster-cache/isr/" + key;

    public static string IsrProbe(string key) => "isr/" + key;

    /// <summary>A param no other test (or test cluster in this process) uses.</summary>
    public static string NewKey() => "k" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Three silos and <paramref name="gateways"/> gateways serving the edge app on <paramref name="clock"/>, all ready.</summary>
    public static async Task<TestCluster> StartAsync(FakeTimeProvider clock, int gateways = 1, params string[] settings)
    {
        var cluster = await TestCluster.StartAsync(new TestClusterOptions
        {
            Silos = 3,
            Gateways = gateways,
            App = EdgeAppManifest.Instance,
            CacheTime = clock,
            Settings = settings,
        });
        try
        {
            await cluster.WaitForReadyAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds; fails with <paramref name="describe"/> after <paramref name="timeout"/>.</summary>
    public static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe)
        => WaitUntilAsync(() => Task.FromResult(condition()), timeout, describe);

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds; fails with <paramref name="describe"/> after <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Not within {timeout.TotalSeconds:F0} s: {describe()}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Log entries at Warning or above, of every process, whose message contains <paramref name="text"/>.</summary>
    public static int WarningsMentioning(TestCluster cluster, string text)
        => cluster.Silos.Concat(cluster.Gateways).Sum(host => host.Logs.Entries.Count(e =>
            e.Level >= LogLevel.Warning && e.Message.Contains(text, StringComparison.Ordinal)));

    /// <summary>
    /// Every line the route cache and the activations logged in every process, Debug included (activations 4000–4099,
    /// owner cache 4500–4569, gateway near-cache
    /// 1300–1319), then the cluster's usual <see cref="TestCluster.DescribeLogs"/>: for failures of hand-overs and
    /// invalidations, whose steps log at Debug.
    /// </summary>
    public static string DescribeCacheLogs(TestCluster cluster)
    {
        var lines = cluster.Silos.Concat(cluster.Gateways).SelectMany(static host => host.Logs.Entries
            .Where(static e => e.EventId.Id is (>= 4000 and <= 4099) or (>= 4500 and <= 4569) or (>= 1300 and <= 1319))
            .Select(e => $"{host.Name} {e.Level} {e.EventId.Id} {e.Message} {e.Exception?.GetType().Name} {e.Exception?.Message}"));
        return "Route cache log:\n" + string.Join("\n", lines) + "\nCluster log:\n" + cluster.DescribeLogs();
    }
}
