using System.Text.Json;
using Cluster.Gateway.Diagnostics;
using Cluster.Routing.Hosting;
using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Placement;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Dashboard;

/// <summary>
/// Takes the dashboard's samples, one per <see cref="DashboardOptions.SampleInterval"/>, only while someone watches: an
/// open event stream (<see cref="Subscribe"/>), or a snapshot request in the last <see cref="DashboardOptions.ViewerTimeout"/>
/// (<see cref="GetSnapshotAsync"/>). With no viewer the loop ends, and an idle dashboard costs nothing.
/// </summary>
/// <remarks>
/// A sample reads the gateway's meters (<see cref="IMetricsReader"/>: the numbers <c>/_cluster/metrics</c> shows), asks
/// every silo for its statistics (<see cref="DashboardSiloPoller"/>, bounded by a timeout), locates each route's owner,
/// and adds the recent failures and membership events; then it is serialised once and handed to every viewer without
/// waiting for any (<see cref="DashboardSubscription"/>). Sequence numbers count published samples, so consecutive samples
/// differ by 1.
/// </remarks>
internal sealed partial class DashboardSampler : IAsyncDisposable
{
    /// <summary>How many chart points a sample carries: two minutes at the default interval.</summary>
    public const int ThroughputPoints = 120;

    /// <summary>The span of a route's percentiles, error rate and hit ratio.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(10);

    private readonly IMetricsReader _metrics;
    private readonly IClusterMembership _membership;
    private readonly DashboardSiloPoller _silos;
    private readonly IGrainLocator _locator;
    private readonly RecentFailures _failures;
    private readonly MembershipEventLog _events;
    private readonly DashboardRouteCatalog _routes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IServiceProvider _services;
    private readonly TimeSpan _interval;
    private readonly TimeSpan _viewerTimeout;
    private readonly string _clusterId;
    private readonly string _app;
    private readonly ISiloStatus? _localSilo;
    private readonly string? _hostedSilo;
    private readonly DashboardRequestHistory _history;
    private readonly Queue<DashboardThroughputPoint> _throughput = new(ThroughputPoints + 1);
    private readonly CancellationTokenSource _stopping;

    private readonly Lock _lock = new();
    private readonly List<DashboardSubscription> _subscriptions = [];
    private readonly Action<DashboardSubscription> _unsubscribe;
    private TaskCompletionSource<DashboardSample> _next = NewSignal();
    private DashboardSample? _latest;
    private Task _loop = Task.CompletedTask;
    private bool _running;
    private bool _touched;
    private long _lastTouch;
    private long _runs;
    private long _sequence;
    private string[]? _addresses;

    public DashboardSampler(
        IMetricsReader metrics,
        IClusterMembership membership,
        DashboardSiloPoller silos,
        IGrainLocator locator,
        RecentFailures failures,
        MembershipEventLog events,
        DashboardRouteCatalog routes,
        ClusterAppManifest manifest,
        IOptions<DashboardOptions> options,
        IOptions<ClusterOptions> cluster,
        TimeProvider time,
        IHostApplicationLifetime lifetime,
        IServiceProvider services,
        ILogger<DashboardSampler> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(lifetime);
        _metrics = metrics;
        _membership = membership;
        _silos = silos;
        _locator = locator;
        _failures = failures;
        _events = events;
        _routes = routes;
        _time = time;
        _services = services;
        _logger = logger;
        _interval = options.Value.SampleInterval;
        _viewerTimeout = options.Value.ViewerTimeout;
        _clusterId = cluster.Value.ClusterId;
        _app = manifest.AppName;
        _localSilo = services.GetService<ISiloStatus>();
        _hostedSilo = _localSilo?.SiloAddress.ToString();
        _history = new DashboardRequestHistory(Window, _interval, time);
        _stopping = CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping);
        _unsubscribe = Unsubscribe;
    }

    /// <summary>Open event streams.</summary>
    public int Viewers
    {
        get
        {
            lock (_lock)
            {
                return _subscriptions.Count;
            }
        }
    }

    /// <summary>Whether the sampling loop runs.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_lock)
            {
                return _running;
            }
        }
    }

    /// <summary>How many times sampling started (after being idle).</summary>
    public long Runs
    {
        get
        {
            lock (_lock)
            {
                return _runs;
            }
        }
    }

    /// <summary>Samples published since the gateway started (the last sample's sequence number).</summary>
    public long SamplesTaken => Interlocked.Read(ref _sequence);

    /// <summary>The current (or last) sampling loop: it completes when sampling stops for want of viewers.</summary>
    public Task Loop
    {
        get
        {
            lock (_lock)
            {
                return _loop;
            }
        }
    }

    /// <summary>
    /// Opens a viewer's queue of samples: it starts with the latest sample (when the sampler runs) and gets every
    /// following one. The sampler runs at least until the subscription is disposed.
    /// </summary>
    public DashboardSubscription Subscribe()
    {
        var subscription = new DashboardSubscription(_unsubscribe);
        lock (_lock)
        {
            _subscriptions.Add(subscription);
            if (_running && _latest is { } latest)
            {
                subscription.Offer(latest);
            }

            StartLocked();
        }

        return subscription;
    }

    /// <summary>
    /// The latest sample. When the sampler was idle it starts, and the answer is its first sample — taken after this
    /// call — rather than one from before the pause. Keeps the sampler running for <see cref="DashboardOptions.ViewerTimeout"/>.
    /// </summary>
    public Task<DashboardSample> GetSnapshotAsync(CancellationToken cancellationToken)
    {
        Task<DashboardSample> next;
        lock (_lock)
        {
            _touched = true;
            _lastTouch = _time.GetTimestamp();
            if (_running && _latest is { } latest)
            {
                return Task.FromResult(latest);
            }

            next = _next.Task;
            StartLocked();
        }

        return next.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped with the host.
        }

        _stopping.Dispose();
    }

    private static TaskCompletionSource<DashboardSample> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void StartLocked()
    {
        if (_running)
        {
            return;
        }

        _running = true;
        _latest = null;
        _runs++;
        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    private void Unsubscribe(DashboardSubscription subscription)
    {
        lock (_lock)
        {
            _subscriptions.Remove(subscription);
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        Log.Started(_logger, _interval.TotalMilliseconds);
        _history.Clear();
        using var timer = new PeriodicTimer(_interval, _time);
        try
        {
            while (true)
            {
                await PublishNextAsync(cancellationToken).ConfigureAwait(false);
                if (StopIfUnwatched())
                {
                    Log.Stopped(_logger, SamplesTaken);
                    return;
                }

                await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The host stops: open event streams end, and so does a snapshot request waiting for a sample.
            lock (_lock)
            {
                _running = false;
                _next.TrySetCanceled(cancellationToken);
                foreach (var subscription in _subscriptions)
                {
                    subscription.Complete();
                }
            }
        }
    }

    private async Task PublishNextAsync(CancellationToken cancellationToken)
    {
        DashboardSample sample;
        try
        {
            sample = await SampleAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.SampleFailed(_logger, exception);
            lock (_lock)
            {
                // A snapshot request waiting for this sample learns it failed instead of waiting for the next.
                var failed = _next;
                _next = NewSignal();
                failed.TrySetException(exception);
            }

            return;
        }

        lock (_lock)
        {
            _latest = sample;
            foreach (var subscription in _subscriptions)
            {
                subscription.Offer(sample);
            }

            var next = _next;
            _next = NewSignal();
            next.TrySetResult(sample);
        }
    }

    private bool StopIfUnwatched()
    {
        lock (_lock)
        {
            if (_subscriptions.Count > 0 || (_touched && _time.GetElapsedTime(_lastTouch) < _viewerTimeout))
            {
                return false;
            }

            _running = false;
            return true;
        }
    }

    private async Task<DashboardSample> SampleAsync(CancellationToken cancellationToken)
    {
        var at = _time.GetUtcNow();
        var reading = _metrics.Read();
        _history.Add(RequestTotals.From(reading, _time.GetTimestamp()));
        if (_history.Point(at) is { } point)
        {
            _throughput.Enqueue(point);
            while (_throughput.Count > ThroughputPoints)
            {
                _throughput.Dequeue();
            }
        }

        // A gateway whose silo is alone (a membership table private to the process) has no view: its silo is the
        // cluster, and owns every route.
        var view = _membership.Current;
        var alone = view.Entries.IsEmpty && _localSilo is not null;
        if (alone)
        {
            view = new MembershipSnapshot(0, [new MembershipEntry { SiloAddress = _localSilo!.SiloAddress, Status = _localSilo.Status, HostName = Environment.MachineName }]);
        }

        var silos = await _silos.PollAsync(view, cancellationToken).ConfigureAwait(false);
        var routes = new DashboardRoute[_routes.Routes.Count];
        for (var i = 0; i < routes.Length; i++)
        {
            var route = _routes.Routes[i];
            var owner = route.Grain is { } grain ? (alone ? _hostedSilo : _locator.GetOwner(grain)?.ToString()) : null;
            routes[i] = _history.Row(route, owner);
        }

        var failures = _failures.Snapshot();
        var errors = new DashboardError[failures.Length];
        for (var i = 0; i < failures.Length; i++)
        {
            var failure = failures[failures.Length - 1 - i];
            errors[i] = new DashboardError(failure.At, failure.Route, failure.Method, failure.StatusCode, failure.Silo, failure.TraceId, failure.Reason);
        }

        var snapshot = new DashboardSnapshot(
            Interlocked.Read(ref _sequence) + 1,
            at,
            new DashboardGateway(_clusterId, _app, Environment.MachineName, _hostedSilo, Addresses()),
            silos,
            routes,
            _throughput.ToArray(),
            errors,
            _events.Snapshot());
        var json = JsonSerializer.SerializeToUtf8Bytes(snapshot, DashboardJsonContext.Default.DashboardSnapshot);
        Interlocked.Increment(ref _sequence);
        return new DashboardSample(snapshot, json);
    }

    private string[] Addresses()
    {
        if (_addresses is { Length: > 0 } known)
        {
            return known;
        }

        var addresses = _services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses;
        return _addresses = addresses is null ? [] : [.. addresses];
    }

    private static partial class Log
    {
        [LoggerMessage(GatewayEventIds.DashboardSamplerStarted, LogLevel.Debug, "The dashboard has a viewer: sampling every {IntervalMs} ms.")]
        public static partial void Started(ILogger logger, double intervalMs);

        [LoggerMessage(GatewayEventIds.DashboardSamplerStopped, LogLevel.Debug, "The dashboard has no viewer left: sampling stopped after sample {Sequence}.")]
        public static partial void Stopped(ILogger logger, long sequence);

        [LoggerMessage(GatewayEventIds.DashboardSampleFailed, LogLevel.Error, "A dashboard sample failed; the next one is taken at the next interval.")]
        public static partial void SampleFailed(ILogger logger, Exception exception);
    }
}
