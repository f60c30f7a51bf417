using Cluster.Gateway.Hosting;
using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Routing.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Placement;
using Cluster.Silo.Hosting;
using Cluster.TestSupport;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>
/// Our <c>Orleans.TestingHost</c>: N silos and gateways of one cluster inside the test process, each a real web host
/// with the real runtime, talking over real loopback sockets through the real transport and handshake. They share one
/// in-memory membership table (marked shared, so every process behaves as it does over PostgreSQL). Silos can be added,
/// stopped gracefully, or killed (disposed without the shutdown protocol: connections drop, probes go unanswered, the
/// row stays Active until the others vote it dead).
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly List<ClusterHost> _silos = [];
    private readonly List<ClusterHost> _gateways = [];
    private readonly string[] _settings;
    private readonly ClusterAppManifest _app;
    private readonly TimeProvider? _cacheTime;
    private int _siloCount;
    private int _gatewayCount;

    private TestCluster(TestClusterOptions options)
    {
        _settings = options.Settings;
        _app = options.App;
        _cacheTime = options.CacheTime;
        ClusterId = "test-" + Guid.NewGuid().ToString("N")[..8];
        Secret = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
    }

    public string ClusterId { get; }

    public string Secret { get; }

    /// <summary>The table every process of this cluster shares.</summary>
    public InMemoryMembershipTable Table { get; } = new(isShared: true);

    public IReadOnlyList<ClusterHost> Silos => _silos;

    public IReadOnlyList<ClusterHost> Gateways => _gateways;

    public IEnumerable<ClusterHost> RunningSilos => _silos.Where(static s => !s.IsStopped);

    /// <summary>Starts <paramref name="silos"/> silos, then <paramref name="gateways"/> gateways without silos of their own.</summary>
    /// <param name="settings">Extra <c>--Key=value</c> settings for every process.</param>
    public static Task<TestCluster> StartAsync(int silos = 3, int gateways = 1, params string[] settings)
        => StartAsync(new TestClusterOptions { Silos = silos, Gateways = gateways, Settings = settings });

    /// <summary>Starts a cluster as <paramref name="options"/> say, and waits until every process sees every silo Active.</summary>
    public static async Task<TestCluster> StartAsync(TestClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cluster = new TestCluster(options);
        try
        {
            // Silos start one after another: each joins a table that already lists the previous ones.
            for (var i = 0; i < options.Silos; i++)
            {
                await cluster.AddSiloAsync();
            }

            for (var i = 0; i < options.Gateways; i++)
            {
                await cluster.AddGatewayAsync();
            }

            await cluster.WaitForStableAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<ClusterHost> AddSiloAsync()
    {
        var name = "silo-" + Interlocked.Increment(ref _siloCount);
        var port = FreePort.Next();
        var logs = new TestLogSink();
        var app = ClusterSilo.CreateApplication(
            [.. CommonSettings(), $"--Silo:Port={port}", "--Silo:AdvertisedHost=127.0.0.1", $"--Silo:SiloName={name}", .. _settings],
            _app,
            builder => Configure(builder, logs));
        try
        {
            await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"{name} did not start. Logs of every silo:\n{DescribeLogs(logs, name)}", ex);
        }

        var host = new ClusterHost(name, app, logs, port);
        lock (_silos)
        {
            _silos.Add(host);
        }

        return host;
    }

    /// <summary>Adds a gateway without a silo; <paramref name="settings"/> override the cluster's (the last value of a key wins).</summary>
    public async Task<ClusterHost> AddGatewayAsync(params string[] settings)
    {
        var name = "gateway-" + Interlocked.Increment(ref _gatewayCount);
        var logs = new TestLogSink();
        var app = ClusterGateway.CreateApplication(
            [.. CommonSettings(), "--Gateway:HostSilo=false", .. _settings, .. settings],
            _app,
            builder => Configure(builder, logs));
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var host = new ClusterHost(name, app, logs, siloPort: 0);
        lock (_gateways)
        {
            _gateways.Add(host);
        }

        return host;
    }

    /// <summary>Graceful stop of a silo (the SIGTERM path).</summary>
    public Task StopSiloAsync(ClusterHost silo) => silo.StopAsync();

    /// <summary>Abrupt end of a silo: no ShuttingDown, no Dead, connections reset; the others must detect it.</summary>
    public async Task KillSiloAsync(ClusterHost silo) => await silo.KillAsync();

    /// <summary>
    /// Waits until every running process's membership view lists exactly the running silos as Active and every stopped
    /// or killed silo as not Active (orleans' <c>WaitForLivenessToStabilizeAsync</c>).
    /// </summary>
    public async Task WaitForStableAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var expected = RunningSilos.Select(static s => s.SiloPort).Order().ToArray();
            var stable = true;
            foreach (var host in RunningSilos.Concat(_gateways.Where(static g => !g.IsStopped)))
            {
                var membership = host.Services.GetRequiredService<IClusterMembership>();
                await membership.RefreshAsync(membership.Current.Version + 1, CancellationToken.None);
                var active = membership.Current.ActiveSilos.Select(static s => s.Port).Order().ToArray();
                if (!active.SequenceEqual(expected))
                {
                    stable = false;
                    break;
                }
            }

            if (stable)
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The cluster's membership views did not settle on silos {string.Join(", ", expected)} in time.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>
    /// Waits until <c>/_cluster/readyz</c> answers 200 on every running process (a silo turns ready only after its
    /// start-up tasks, e.g. prerendering, have run).
    /// </summary>
    public async Task WaitForReadyAsync(TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        foreach (var host in RunningSilos.Concat(_gateways.Where(static g => !g.IsStopped)))
        {
            var last = "no answer";
            while (true)
            {
                try
                {
                    using var response = await client.GetAsync(new Uri(host.HttpAddress, "/_cluster/readyz"));
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }

                    last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                }
                catch (HttpRequestException ex)
                {
                    last = ex.Message;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"{host.Name} did not turn ready in time (last answer: {last}).\n{DescribeLogs()}");
                }

                await Task.Delay(50);
            }
        }
    }

    /// <summary>
    /// The silo that owns the route grain of <paramref name="pattern"/> in the current membership view of the first
    /// running silo (rendezvous placement: every process with that view agrees), whether or not it is activated yet.
    /// </summary>
    public ClusterHost OwnerOfRoute(string pattern)
    {
        var viewer = RunningSilos.First();
        var view = new PlacementView(viewer.Services.GetRequiredService<IClusterMembership>().Current);
        var owner = view.GetOwner(new GrainId(RouteGrainReference.GrainType, pattern))
            ?? throw new InvalidOperationException($"No silo is Active in {viewer.Name}'s view.");
        return RunningSilos.Single(s => s.SiloPort == owner.Port);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var gateway in _gateways)
        {
            await gateway.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }

    /// <summary>Warnings and errors of every process so far (and everything of <paramref name="name"/>), for failure messages.</summary>
    public string DescribeLogs(TestLogSink? extra = null, string? name = null)
    {
        var lines = new List<string>();
        foreach (var host in _silos.Concat(_gateways))
        {
            lines.AddRange(host.Logs.Entries.Where(static e => e.Level >= LogLevel.Information && !e.Category.StartsWith("Microsoft", StringComparison.Ordinal))
                .Select(e => $"{host.Name} {e.Level} {e.EventId.Id} {e.Message} {e.Exception?.Message}"));
        }

        if (extra is not null)
        {
            lines.AddRange(extra.Entries.Where(static e => !e.Category.StartsWith("Microsoft", StringComparison.Ordinal))
                .Select(e => $"{name} {e.Level} {e.EventId.Id} {e.Message} {e.Exception?.Message}"));
        }

        return string.Join("\n", lines);
    }

    private string[] CommonSettings() =>
    [
        "--urls", "http://127.0.0.1:0",
        "--environment", "Development",
        "--Cluster:Membership=InMemory",
        $"--Cluster:ClusterId={ClusterId}",
        $"--Cluster:Secret={Secret}",
    ];

    private void Configure(WebApplicationBuilder builder, TestLogSink logs)
    {
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(logs);

        // appsettings.json's Default=Information rule would otherwise hide the Debug lines tests count (activations).
        builder.Logging.AddFilter<TestLogSink>(null, LogLevel.Debug);
        builder.Services.Replace(ServiceDescriptor.Singleton<IMembershipTable>(Table));
        if (_cacheTime is not null)
        {
            // After the host's own registration (a TryAdd of the system clock), so this one is the only one.
            builder.Services.RemoveAll<RouteCacheClock>();
            builder.Services.AddSingleton(new RouteCacheClock(_cacheTime));
        }
    }
}
