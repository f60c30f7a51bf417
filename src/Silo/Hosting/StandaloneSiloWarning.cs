using Cluster.Runtime.Membership;

namespace Cluster.Silo.Hosting;

/// <summary>
/// Warns when a silo process starts with membership private to itself (the <c>InMemory</c> default): it is a cluster of
/// one that no gateway can reach, which is almost certainly a missing <c>Cluster:Membership=Postgres</c>.
/// </summary>
internal sealed partial class StandaloneSiloWarning(IMembershipTable table, ILogger<StandaloneSiloWarning> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!table.IsShared)
        {
            Log.Standalone(logger);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(4230, LogLevel.Warning, "This silo keeps its membership in memory, so no gateway or other silo can reach it. Set Cluster:Membership=Postgres with Cluster:ConnectionString and Cluster:Secret to join a cluster.")]
        public static partial void Standalone(ILogger logger);
    }
}
