using Cluster.Runtime.Membership;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Hosting;

/// <summary>
/// Starts a cluster client: reads the membership table (retrying until the store answers) before the process takes
/// traffic; on stop reports not-ready first, then closes its connections once the web server has finished the requests
/// in flight (hosted services stop in reverse order, and the web server's is added last).
/// </summary>
internal sealed partial class ClusterClientHostedService : IHostedService
{
    private readonly MembershipClient _membership;
    private readonly ClusterClientReadiness _readiness;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly IClusterTransport _transport;
    private readonly IMembershipTable _table;
    private readonly ILogger _logger;

    public ClusterClientHostedService(
        MembershipClient membership,
        ClusterClientReadiness readiness,
        IHostApplicationLifetime lifetime,
        IClusterTransport transport,
        IMembershipTable table,
        ILogger<ClusterClientHostedService> logger)
    {
        _table = table;
        _membership = membership;
        _readiness = readiness;
        _lifetime = lifetime;
        _transport = transport;
        _logger = logger;
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!_table.IsShared)
        {
            throw new InvalidOperationException(
                "Gateway:HostSilo=false leaves this gateway without silos: with Cluster:Membership=InMemory the only silo " +
                "would be one inside the gateway. Set Cluster:Membership=Postgres (with Cluster:ConnectionString and " +
                "Cluster:Secret) to reach silos in other processes, or remove Gateway:HostSilo.");
        }

        await _membership.StartAsync(cancellationToken).ConfigureAwait(false);
        _readiness.MarkStarted();

        // Readiness turns 503 as soon as the host begins to stop, before the web server drains its requests.
        _lifetime.ApplicationStopping.Register(static state => ((ClusterClientReadiness)state!).MarkStopping(), _readiness);
        Log.Started(_logger, _membership.Current.Version, _membership.Current.ActiveSilos.Length);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _readiness.MarkStopping();
        await _membership.StopAsync(cancellationToken).ConfigureAwait(false);
        if (_transport is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4220, LogLevel.Information, "Cluster client started at membership version {Version} with {ActiveSilos} active silos.")]
        public static partial void Started(ILogger logger, int version, int activeSilos);
    }
}
