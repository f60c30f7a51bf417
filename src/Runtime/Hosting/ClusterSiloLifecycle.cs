using System.Net;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Networking;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Runtime.Hosting;

/// <summary>
/// The networked half of a silo's life, run by <see cref="SiloHostedService"/> when the membership table is shared:
/// open the cluster protocol's listener (so peers can probe this silo while it joins), join (Joining → connectivity
/// check → Active), and on stop publish ShuttingDown before draining and Dead after it, then close the listener.
/// </summary>
internal sealed partial class ClusterSiloLifecycle
{
    private static readonly TimeSpan s_listenerCloseTimeout = TimeSpan.FromSeconds(10);

    private readonly ClusterListener _listener;
    private readonly MembershipAgent _membership;
    private readonly SiloOptions _options;
    private readonly ILogger _logger;

    public ClusterSiloLifecycle(ClusterListener listener, MembershipAgent membership, IOptions<SiloOptions> options, ILogger<ClusterSiloLifecycle> logger)
    {
        _listener = listener;
        _membership = membership;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>Opens the listener and joins the cluster; returns once this silo is Active in the table.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var endPoint = new IPEndPoint(ResolveListenAddress(_options), _options.Port);
        await _listener.StartAsync(endPoint, cancellationToken).ConfigureAwait(false);
        Log.Listening(_logger, endPoint.ToString());
        await _membership.JoinAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Publishes ShuttingDown so every peer and gateway stops placing grains here.</summary>
    public Task ShutDownAsync(CancellationToken cancellationToken) => _membership.ShutDownAsync(cancellationToken);

    /// <summary>Publishes Dead, then closes the listener (responses in flight have been written by then).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _membership.LeaveAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Closing waits for each peer to acknowledge the GoAway after its last response was written; a peer that
            // never does must not hold the process until the host's own deadline.
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bound.CancelAfter(s_listenerCloseTimeout);
            await _listener.StopAsync(bound.Token).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <see cref="SiloOptions.ListenAddress"/> if set (<c>*</c> or <c>0.0.0.0</c>: every interface); otherwise the
    /// advertised host when it is an IP address (loopback stays loopback) or <c>localhost</c>; otherwise every interface.
    /// </summary>
    internal static IPAddress ResolveListenAddress(SiloOptions options)
    {
        var configured = options.ListenAddress;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (configured is "*" or "+")
            {
                return IPAddress.Any;
            }

            return IPAddress.TryParse(configured, out var address)
                ? address
                : throw new InvalidOperationException($"Silo:ListenAddress '{configured}' is not an IP address (use * for every interface).");
        }

        if (string.Equals(options.AdvertisedHost, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return IPAddress.Loopback;
        }

        return IPAddress.TryParse(options.AdvertisedHost, out var advertised) ? advertised : IPAddress.Any;
    }

    private static partial class Log
    {
        [LoggerMessage(4210, LogLevel.Information, "The cluster protocol listens on {EndPoint}.")]
        public static partial void Listening(ILogger logger, string endPoint);
    }
}
