using System.Collections.Concurrent;
using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Hosting;
using Cluster.Routing.Hosting;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Middleware;

/// <summary>
/// Keeps the tasks the middleware hands to <c>MiddlewareContext.WaitUntil</c>: work that outlives its response. A failure
/// is logged (Error) and never reaches a client; a finished task is forgotten at once, so nothing accumulates; a
/// graceful shutdown waits for what is still running, for at most <c>Gateway:Middleware:WaitUntilTimeout</c>, and then
/// logs how many tasks it abandoned.
/// </summary>
/// <remarks>
/// Shutdown order: the host stops hosted services in reverse registration order, one after another
/// (<c>HostOptions.ServicesStopConcurrently</c> is false by default), and <c>WebApplicationBuilder</c> registers the
/// web server's hosted service after every service the app adds. So the server stops first (it stops taking requests
/// and drains the ones in flight, whose middleware may still hand over work), then this service waits. It is registered
/// after the in-process silo so that it also stops before the silo: background work may still call grains.
/// </remarks>
internal sealed partial class MiddlewareBackgroundWork : IHostedService
{
    private static readonly Action<Task, object?> s_onCompleted = static (task, state) => ((MiddlewareBackgroundWork)state!).OnCompleted(task);

    private readonly ConcurrentDictionary<Task, byte> _outstanding = new();
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly string _middlewareType;
    private readonly ILogger<MiddlewareBackgroundWork> _logger;

    public MiddlewareBackgroundWork(ClusterAppManifest manifest, IOptions<MiddlewareOptions> options, TimeProvider timeProvider, ILogger<MiddlewareBackgroundWork> logger)
    {
        _middlewareType = manifest.Middleware?.HandlerType ?? "(none)";
        _timeout = options.Value.WaitUntilTimeout;
        _timeProvider = timeProvider;
        _logger = logger;
        Track = TrackTask;
    }

    /// <summary>The one delegate every <c>MiddlewareContext</c> is given, so a request does not allocate its own.</summary>
    public Action<Task> Track { get; }

    /// <summary>How many tasks are still running.</summary>
    public int OutstandingCount => _outstanding.Count;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var pending = _outstanding.Keys.ToArray();
        if (pending.Length == 0)
        {
            return;
        }

        Log.Waiting(_logger, pending.Length, _timeout);
        // Failures were logged by each task's continuation; here only the waiting matters. The host's own shutdown
        // token bounds the wait too.
        await Task.WhenAll(pending)
            .WaitAsync(_timeout, _timeProvider, cancellationToken)
            .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

        var abandoned = pending.Count(static task => !task.IsCompleted);
        if (abandoned > 0)
        {
            Log.Abandoned(_logger, abandoned, _timeout);
        }
    }

    private void TrackTask(Task task)
    {
        if (task.IsCompleted)
        {
            Observe(task);
            return;
        }

        // Added before the continuation is attached: a task finishing in between runs the continuation at once,
        // which removes it again.
        _outstanding.TryAdd(task, 0);
        task.ContinueWith(s_onCompleted, this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void OnCompleted(Task task)
    {
        _outstanding.TryRemove(task, out _);
        Observe(task);
    }

    private void Observe(Task task)
    {
        if (task.IsFaulted)
        {
            var exception = task.Exception!;
            Log.Failed(_logger, _middlewareType, exception.InnerExceptions.Count == 1 ? exception.InnerException! : exception);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.MiddlewareBackgroundWorkFailed, LogLevel.Error, "Background work the middleware {MiddlewareType} handed to WaitUntil failed.")]
        public static partial void Failed(ILogger logger, string middlewareType, Exception exception);

        [LoggerMessage(GatewayEventIds.MiddlewareBackgroundWorkWaiting, LogLevel.Information, "Waiting up to {Timeout} for {Count} background tasks of the middleware to finish.")]
        public static partial void Waiting(ILogger logger, int count, TimeSpan timeout);

        [LoggerMessage(GatewayEventIds.MiddlewareBackgroundWorkAbandoned, LogLevel.Warning, "Abandoned {Count} background tasks of the middleware still running after {Timeout}; raise Gateway:Middleware:WaitUntilTimeout to wait longer.")]
        public static partial void Abandoned(ILogger logger, int count, TimeSpan timeout);
    }
}
