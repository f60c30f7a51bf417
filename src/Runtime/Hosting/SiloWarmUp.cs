using Microsoft.Extensions.Logging;

namespace Cluster.Runtime.Hosting;

/// <summary>
/// Runs a silo's <see cref="ISiloStartupTask"/>s in the background once it is Active: all at once, bounded together by
/// <see cref="ClusterRuntimeOptions.StartupTaskTimeout"/>, while readiness says <c>WarmingUp</c>. A task that fails or
/// times out is logged and the silo turns ready anyway (serving late beats not serving); stopping the silo cancels them.
/// The host's start never waits for them, so the web server (and <c>/_cluster/healthz</c>) is up meanwhile.
/// </summary>
internal sealed partial class SiloWarmUp : IDisposable
{
    private readonly ISiloStartupTask[] _tasks;
    private readonly LocalSiloStatus _status;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _running = Task.CompletedTask;

    public SiloWarmUp(ISiloStartupTask[] tasks, LocalSiloStatus status, TimeSpan timeout, TimeProvider timeProvider, ILogger logger)
    {
        _tasks = tasks;
        _status = status;
        _timeout = timeout;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Completes when every task has finished, failed, timed out or been cancelled (tests).</summary>
    public Task Completion => _running;

    /// <summary>
    /// Called before the silo turns Active: with tasks to run, readiness stays false from the moment it does, so no
    /// readiness probe catches it ready before the tasks start.
    /// </summary>
    public void Prepare()
    {
        if (_tasks.Length > 0)
        {
            _status.BeginWarmUp();
        }
    }

    /// <summary>Starts the tasks in the background (the silo is Active); returns at once.</summary>
    public void Start()
    {
        if (_tasks.Length > 0)
        {
            _running = RunAllAsync();
        }
    }

    /// <summary>Cancels the tasks still running and waits until none is awaited any longer.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _running.ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RunAllAsync()
    {
        var started = _timeProvider.GetTimestamp();
        Log.WarmingUp(_logger, _status.SiloAddress.ToString(), _tasks.Length, _timeout);
        using var timeout = new CancellationTokenSource(_timeout, _timeProvider);
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, _stopping.Token);
        var running = new Task[_tasks.Length];
        for (var i = 0; i < _tasks.Length; i++)
        {
            running[i] = RunOneAsync(_tasks[i], bound.Token);
        }

        // RunOneAsync never throws, and returns at the timeout or the stop even if its task ignores the token.
        await Task.WhenAll(running).ConfigureAwait(false);
        _status.EndWarmUp();
        if (!_stopping.IsCancellationRequested)
        {
            Log.WarmedUp(_logger, _status.SiloAddress.ToString(), _timeProvider.GetElapsedTime(started));
        }
    }

    private async Task RunOneAsync(ISiloStartupTask task, CancellationToken cancellationToken)
    {
        var name = NameOf(task);
        var started = _timeProvider.GetTimestamp();
        try
        {
            // On the thread pool, so a task that works synchronously before its first await does not hold up the others;
            // WaitAsync, so one that ignores its token is abandoned rather than awaited past the timeout.
            await Task.Run(() => task.RunAsync(cancellationToken), cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
            Log.TaskFinished(_logger, name, _timeProvider.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (_stopping.IsCancellationRequested)
            {
                Log.TaskCancelledByStop(_logger, name);
            }
            else
            {
                Log.TaskTimedOut(_logger, name, _timeout);
            }
        }
        catch (Exception ex)
        {
            Log.TaskFailed(_logger, name, ex);
        }
    }

    private static string NameOf(ISiloStartupTask task)
    {
        try
        {
            return task.Name;
        }
        catch (Exception)
        {
            // A name is only for logs; a broken getter must not stop the task from running.
            return task.GetType().FullName ?? task.GetType().Name;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4240, LogLevel.Information, "Silo {SiloAddress} is active and warming up: {Count} start-up tasks run before it reports ready (at most {Timeout}, Cluster:Runtime:StartupTaskTimeout).")]
        public static partial void WarmingUp(ILogger logger, string siloAddress, int count, TimeSpan timeout);

        [LoggerMessage(4241, LogLevel.Information, "Silo {SiloAddress} finished its start-up tasks after {Elapsed} and is ready.")]
        public static partial void WarmedUp(ILogger logger, string siloAddress, TimeSpan elapsed);

        [LoggerMessage(4242, LogLevel.Debug, "Start-up task {Task} finished after {Elapsed}.")]
        public static partial void TaskFinished(ILogger logger, string task, TimeSpan elapsed);

        [LoggerMessage(4243, LogLevel.Warning, "Start-up task {Task} failed; the silo turns ready without it.")]
        public static partial void TaskFailed(ILogger logger, string task, Exception exception);

        [LoggerMessage(4244, LogLevel.Warning, "Start-up task {Task} did not finish within Cluster:Runtime:StartupTaskTimeout ({Timeout}); it was cancelled and the silo turns ready without it.")]
        public static partial void TaskTimedOut(ILogger logger, string task, TimeSpan timeout);

        [LoggerMessage(4245, LogLevel.Debug, "Start-up task {Task} was cancelled: the silo is stopping.")]
        public static partial void TaskCancelledByStop(ILogger logger, string task);
    }
}
