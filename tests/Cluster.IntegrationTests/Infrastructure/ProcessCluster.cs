using Cluster.TestSupport;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>
/// Silos and gateways as separate OS processes, started the way the README says, joined through a real PostgreSQL
/// membership table (a fresh database per cluster), each on its own loopback ports.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    private readonly List<ClusterProcess> _silos = [];
    private readonly List<ClusterProcess> _gateways = [];
    private readonly string[] _settings;
    private int _siloCount;

    private ProcessCluster(string connectionString)
    {
        var clusterId = "proc-" + Guid.NewGuid().ToString("N")[..8];
        ConnectionString = connectionString;
        ClusterId = clusterId;
        _settings =
        [
            "--Cluster:Membership=Postgres",
            $"--Cluster:ConnectionString={connectionString}",
            $"--Cluster:ClusterId={clusterId}",
            "--Cluster:Secret=" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()),
        ];
    }

    /// <summary>The cluster's own database, which holds its membership table.</summary>
    public string ConnectionString { get; }

    /// <summary>The cluster id its processes run with (the membership table's key).</summary>
    public string ClusterId { get; }

    public IReadOnlyList<ClusterProcess> Silos => _silos;

    public IReadOnlyList<ClusterProcess> Gateways => _gateways;

    public static async Task<ProcessCluster> StartAsync(PostgresServer postgres, int silos, int gateways)
    {
        var cluster = new ProcessCluster(await postgres.CreateDatabaseAsync("cluster"));
        try
        {
            for (var i = 0; i < silos; i++)
            {
                await cluster.AddSiloAsync();
            }

            for (var i = 0; i < gateways; i++)
            {
                var gateway = ClusterProcess.Start($"gateway-{i + 1}", "Gateway", "Cluster.Gateway", FreePort.Next(), 0, [.. cluster._settings, "--Gateway:HostSilo=false"]);
                cluster._gateways.Add(gateway);
                await gateway.WaitReadyAsync(TimeSpan.FromSeconds(60));
            }

            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<ClusterProcess> AddSiloAsync()
    {
        var name = "silo-" + Interlocked.Increment(ref _siloCount);
        var siloPort = FreePort.Next();
        var silo = ClusterProcess.Start(name, "Silo", "Cluster.Silo", FreePort.Next(), siloPort, [.. _settings, $"--Silo:Port={siloPort}", $"--Silo:SiloName={name}"]);
        _silos.Add(silo);
        await silo.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return silo;
    }

    /// <summary>Everything every process printed, for a failure message.</summary>
    public string Output => string.Join("\n", _silos.Concat(_gateways).Select(static p => $"--- {p.Name} ---\n{p.Output}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _gateways.Concat(_silos))
        {
            await process.DisposeAsync();
        }
    }
}
