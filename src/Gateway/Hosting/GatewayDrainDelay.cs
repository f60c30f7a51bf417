using Cluster.Gateway.Diagnostics;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Hosting;

/// <summary>
/// Holds a stopping gateway open for <see cref="GatewayOptions.DrainDelay"/>: the host stops the web server only after
/// every <see cref="IHostedLifecycleService.StoppingAsync"/> returned, so during the delay the gateway answers as usual
/// while load balancers, seeing its readiness at 503, move new requests elsewhere.
/// </summary>
/// <remarks>
/// On SIGTERM the console lifetime fires <c>ApplicationStopping</c> (readiness turns 503) before the host stops; a host
/// stopped in code fires it only after the <c>StoppingAsync</c> calls. So the delay fires it itself first — it fires
/// once, whoever asks — and readiness is 503 for the whole delay either way.
/// </remarks>
internal sealed partial class GatewayDrainDelay : IHostedLifecycleService
{
    private readonly TimeSpan _delay;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public GatewayDrainDelay(IOptions<GatewayOptions> options, IHostApplicationLifetime lifetime, TimeProvider timeProvider, ILogger<GatewayDrainDelay> logger)
    {
        _delay = options.Value.DrainDelay;
        _lifetime = lifetime;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        if (_delay <= TimeSpan.Zero)
        {
            return;
        }

        _lifetime.StopApplication();
        Log.Draining(_logger, _delay);
        try
        {
            await Task.Delay(_delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host's shutdown deadline came first: stop now rather than hold the rest of the shutdown up.
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.Draining, LogLevel.Information, "Stopping: readiness is 503; still serving for {Delay} (Gateway:DrainDelay) so load balancers move traffic away first.")]
        public static partial void Draining(ILogger logger, TimeSpan delay);
    }
}
