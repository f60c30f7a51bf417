using System.Collections.Concurrent;
using Cluster.Grains.Caching;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Cluster.Routing.Wire;
using Cluster.Runtime;
using Cluster.Runtime.Messaging;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Routing;

/// <summary>
/// Owns one route pattern (its grain key): builds the route's handler once on activation and runs it for every
/// request routed to the pattern. Reentrant because handlers are stateless app code and requests to one route must
/// run in parallel. Every failure becomes a response here (500 or 405) so the caller never sees an app exception.
/// <see cref="RouteWorkerGrain"/> runs the same code for routes that are stateless-worker pools.
/// </summary>
/// <remarks>
/// <para>
/// The grain also owns its route's cached GET responses when the route opts in (<see cref="RouteCacheability"/>;
/// never a stateless worker), keyed by path in the silo's <see cref="IRouteCacheStore"/>. HIT while fresh; STALE
/// serves the old entry at once and starts one background regeneration; MISS renders in the foreground. One render per
/// path at a time (a <see cref="RenderFlight"/>): concurrent STALE and MISS requests join it, which with one owner per
/// route makes regeneration single-flight across the cluster. Renders never see the client's request: they get a
/// <see cref="RouteRequest.ForStaticRender"/> request whose mode follows <c>RouteConfig.Dynamic</c>.
/// </para>
/// <para>
/// Thread-safety: requests run in parallel, so the cache state is concurrent collections, volatile flags and
/// interlocked counters; the one lock is per flight, between storing a render and an invalidation of its path.
/// </para>
/// </remarks>
[Reentrant]
internal partial class RouteGrain : Grain,
    IGrainHandler<RouteInvocation, RouteReply>,
    IGrainHandler<RouteCacheInvalidation, RouteCacheInvalidationResult>
{
    /// <summary>The grain type name of route grains.</summary>
    public const string GrainTypeName = "route";

    /// <summary>The <c>Cache-Control</c> of responses no cache may keep (Next.js's value for dynamic responses).</summary>
    internal const string NoStoreCacheControl = "private, no-cache, no-store, max-age=0, must-revalidate";

    // Next.js 15+'s expireTime default: the stale-while-revalidate window ends a year after the render.
    private const int ExpireSeconds = 31_536_000;
    private const string CacheControlHeader = "cache-control";

    // Responses are immutable, so the error responses are shared.
    private static readonly RouteResponse s_methodNotAllowed = RouteResponse.Empty(405);
    private static readonly RouteResponse s_internalError = RouteResponse.Empty(500);
    private static readonly RouteResponse s_internalErrorNotStored = s_internalError.WithHeader(CacheControlHeader, NoStoreCacheControl);
    private static readonly RouteCacheInvalidationResult s_nothingDropped = new();

    private readonly IRouteCatalog _catalog;
    private readonly IRouteRevalidator _revalidator;
    private readonly StatelessWorkerRoutes _workers;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private readonly IRouteCacheStore _store;
    private readonly RouteCacheClock _clock;
    private readonly RouteCacheMetrics _metrics;
    private readonly IClusterBroadcast _broadcast;
    private readonly IGrainFactory _grainFactory;
    private RouteDefinition? _route;
    private IRouteHandler? _handler;

    // The cache, decided once on activation (see OnActivateAsync).
    private bool _cacheable;
    private string _pattern = string.Empty;
    private RouteRequestMode _renderMode;
    private int _revalidateSeconds;
    private string _cacheControl = string.Empty;
    private KeyValuePair<string, object?> _routeTag;
    private ConcurrentDictionary<string, RenderFlight>? _renders;

    // Set when an Auto route read request data in a render: from then on it renders per request (Next.js's fallback).
    private volatile bool _dynamic;
    private int _dynamicLogged;

    // What this activation invalidated, for a hand-over that arrives later (WasInvalidated).
    private volatile bool _invalidatedAll;
    private ConcurrentDictionary<string, byte>? _invalidatedPaths;

    private long _version;

    public RouteGrain(
        IRouteCatalog catalog,
        IRouteRevalidator revalidator,
        StatelessWorkerRoutes workers,
        IServiceProvider services,
        ILogger<RouteGrain> logger,
        IRouteCacheStore store,
        RouteCacheClock clock,
        RouteCacheMetrics metrics,
        IClusterBroadcast broadcast,
        IGrainFactory grainFactory)
    {
        _catalog = catalog;
        _revalidator = revalidator;
        _workers = workers;
        _services = services;
        _logger = logger;
        _store = store;
        _clock = clock;
        _metrics = metrics;
        _broadcast = broadcast;
        _grainFactory = grainFactory;

        // Versions start at the clock's ticks, so a later activation (here or on the route's next owner) numbers its
        // entries above this one's, and a hand-over never installs an older render over a newer one.
        _version = clock.UtcNow.UtcTicks;
    }

    /// <summary>Whether this activation caches its route's GET responses (decided on activation; a stateless worker never does).</summary>
    internal bool IsCacheable => _cacheable;

    /// <summary>The silo's cached route responses.</summary>
    private protected IRouteCacheStore Store => _store;

    /// <summary>The clock of all cache time (freshness, retry windows, hand-over ages).</summary>
    private protected RouteCacheClock Clock => _clock;

    /// <summary>Confirmed notices to every process that may hold a copy of this silo's entries (gateway near-caches).</summary>
    private protected IClusterBroadcast Broadcast => _broadcast;

    /// <summary>Reaches other grains (e.g. the route's next owner).</summary>
    private protected IGrainFactory GrainFactory => _grainFactory;

    /// <summary>The next entry version: monotonic within the activation, above every version it observed.</summary>
    internal long NextVersion() => Interlocked.Increment(ref _version);

    /// <summary>Raises the version counter to at least <paramref name="version"/>, so entries stored later are newer.</summary>
    internal void ObserveVersion(long version)
    {
        var current = Volatile.Read(ref _version);
        while (current < version)
        {
            var seen = Interlocked.CompareExchange(ref _version, version, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>
    /// Whether this activation processed an invalidation of <paramref name="path"/> or of the whole route, so a cache
    /// hand-over arriving later must not reinstall an entry that was invalidated meanwhile.
    /// </summary>
    internal bool WasInvalidated(string path)
        => _invalidatedAll || (Volatile.Read(ref _invalidatedPaths)?.ContainsKey(path) ?? false);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var pattern = GrainId.Key;
        if (!_catalog.TryGetRoute(pattern, out var route))
        {
            throw new InvalidOperationException($"The app has no route with pattern '{pattern}'.");
        }

        var isWorker = GrainId.Type == RouteGrainReference.WorkerGrainType;
        if (isWorker != _workers.Contains(pattern))
        {
            // A gateway with other settings than this silo (e.g. mid-way through a configuration rollout): the route
            // still answers, but it runs both ways at once until every process has the same Cluster:Routes.
            Log.WorkerSettingDiffers(_logger, pattern, GrainId.Type.Name, isWorker ? "not a stateless worker" : "a stateless worker");
        }

        _handler = route.CreateHandler(_services)
            ?? throw new InvalidOperationException($"CreateHandler of route '{pattern}' returned null.");
        _pattern = pattern;

        // A worker pool has an activation per core on every silo: it can own no cache.
        _cacheable = !isWorker && RouteCacheability.IsCacheable(route);
        if (_cacheable)
        {
            _renderMode = route.Config.Dynamic switch
            {
                DynamicMode.ForceStatic => RouteRequestMode.Hidden,
                DynamicMode.Error => RouteRequestMode.Forbidden,
                _ => RouteRequestMode.Tracked,
            };
            _revalidateSeconds = route.Config.Revalidate is > 0 and var seconds ? seconds : 0;
            _cacheControl = _revalidateSeconds switch
            {
                0 => $"s-maxage={ExpireSeconds}",
                < ExpireSeconds => $"s-maxage={_revalidateSeconds}, stale-while-revalidate={ExpireSeconds - _revalidateSeconds}",
                _ => $"s-maxage={_revalidateSeconds}",
            };
            _routeTag = RouteCacheMetrics.RouteTag(pattern);
            _renders = new ConcurrentDictionary<string, RenderFlight>(StringComparer.Ordinal);
            DropParkedEntriesIfTheViewChanged();
        }

        _route = route;
        return Task.CompletedTask;
    }

    public ValueTask<RouteReply> HandleAsync(RouteInvocation request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var route = _route!;
        if ((route.Methods & (RouteMethods)(1 << (int)request.Handler)) == 0)
        {
            // The gateway answers 405 before calling; reaching here means its table and this silo's manifest differ.
            Log.MethodNotImplemented(_logger, route.Pattern, request.Handler);
            return new ValueTask<RouteReply>(new RouteReply(s_methodNotAllowed));
        }

        // HEAD arrives as its GET handler and shares the GET's entry; other methods are never cached.
        if (_cacheable && request.Handler == RouteMethod.Get && !_dynamic)
        {
            return HandleCached(request, cancellationToken);
        }

        // The handler span only when someone listens: the untraced path stays as it is (RouteGrain.Tracing.cs).
        return HandlerSource.HasListeners() ? HandleDynamicTraced(request, cancellationToken) : HandleDynamic(request, cancellationToken);
    }

    /// <summary>Drops cached entries of the route, then waits until every near-cache that may hold a copy dropped it.</summary>
    public async ValueTask<RouteCacheInvalidationResult> HandleAsync(RouteCacheInvalidation request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!_cacheable)
        {
            // Nothing of this route is cached here or, since its replies say so, in any near-cache.
            return s_nothingDropped;
        }

        var path = request.Path;
        if (path is null)
        {
            _invalidatedAll = true;
        }
        else
        {
            LazyInitializer.EnsureInitialized(ref _invalidatedPaths, static () => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal))
                .TryAdd(path, 0);
        }

        // Renders that started before this point must not store what they render: the data they read may be what was
        // just invalidated. Their callers still get the response (as a MISS); the next request renders afresh.
        var renders = _renders!;
        if (path is null)
        {
            foreach (var pair in renders)
            {
                Abandon(renders, pair.Value);
            }
        }
        else if (renders.TryGetValue(path, out var flight))
        {
            Abandon(renders, flight);
        }

        var dropped = path is null ? _store.RemoveAll(_pattern) : _store.Remove(_pattern, path) ? 1 : 0;
        await _broadcast.BroadcastAsync(NearCacheInvalidation.Topic, new NearCacheInvalidation(_pattern, path).ToPayload(), cancellationToken);
        Log.Invalidated(_logger, _pattern, path ?? "every path", dropped);
        return dropped == 0 ? s_nothingDropped : new RouteCacheInvalidationResult { Dropped = dropped };

        static void Abandon(ConcurrentDictionary<string, RenderFlight> renders, RenderFlight flight)
        {
            lock (flight)
            {
                flight.Invalidated = true;
            }

            renders.TryRemove(new KeyValuePair<string, RenderFlight>(flight.Path, flight));
        }
    }

    private ValueTask<RouteReply> HandleDynamic(RouteInvocation request, CancellationToken cancellationToken)
    {
        ValueTask<RouteResponse?> pending;
        try
        {
            var routeRequest = new RouteRequest(
                request.Method, request.Scheme, request.Host, request.Path, request.QueryString, request.Headers, request.Body);
            var context = new RouteContext(request.Params, _revalidator, cancellationToken);
            pending = _handler!.InvokeAsync(request.Handler, routeRequest, context);
        }
        catch (Exception ex)
        {
            return new ValueTask<RouteReply>(new RouteReply(OnFailure(request, ex, cancellationToken)));
        }

        if (pending.IsCompletedSuccessfully)
        {
            // No async state machine when the handler finished synchronously.
            return new ValueTask<RouteReply>(new RouteReply(OnCompleted(request, pending.Result)));
        }

        return AwaitHandlerAsync(pending, request, cancellationToken);
    }

    private async ValueTask<RouteReply> AwaitHandlerAsync(ValueTask<RouteResponse?> pending, RouteInvocation request, CancellationToken cancellationToken)
    {
        try
        {
            return new RouteReply(OnCompleted(request, await pending));
        }
        catch (Exception ex)
        {
            return new RouteReply(OnFailure(request, ex, cancellationToken));
        }
    }

    private RouteResponse OnCompleted(RouteInvocation request, RouteResponse? response)
    {
        if (response is null)
        {
            Log.NullResponse(_logger, _route!.Pattern, request.Method);
            return s_internalError;
        }

        return response;
    }

    private RouteResponse OnFailure(RouteInvocation request, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // The client went away: nobody reads this response and it is not a server fault, so no Error log.
            Log.RequestAborted(_logger, _route!.Pattern, request.Method);
        }
        else
        {
            Log.HandlerFailed(_logger, _route!.Pattern, request.Method, _route.HandlerType, exception);
        }

        // Nothing of the exception goes into the response.
        return s_internalError;
    }

    // The cached GET. A HIT completes synchronously and allocates nothing beyond what the runtime's call needs.
    private ValueTask<RouteReply> HandleCached(RouteInvocation request, CancellationToken cancellationToken)
    {
        if (_store.TryGet(_pattern, request.Path, out var entry))
        {
            var now = _clock.UtcNow;
            if (now < entry.StaleAt)
            {
                _metrics.OnRequest(RouteCacheStatus.Hit, _routeTag);
                return new ValueTask<RouteReply>(new RouteReply(entry.Response, RouteCacheStatus.Hit, FreshFor(entry, now)));
            }

            StartRegeneration(request, entry);
            _metrics.OnRequest(RouteCacheStatus.Stale, _routeTag);
            return new ValueTask<RouteReply>(new RouteReply(entry.Response, RouteCacheStatus.Stale, TimeSpan.Zero));
        }

        _metrics.OnRequest(RouteCacheStatus.Miss, _routeTag);
        return RenderMissAsync(request, cancellationToken);
    }

    private void StartRegeneration(RouteInvocation request, RouteCacheEntry stale)
    {
        var renders = _renders!;
        if (renders.ContainsKey(request.Path))
        {
            // One render of this path is running already: this request joins it by serving the stale entry.
            return;
        }

        var flight = new RenderFlight(request.Path, request.Params, stale);
        if (renders.TryAdd(request.Path, flight))
        {
            // Detached from the request (its token, its turn): on the thread pool, and RunFlightAsync never throws.
            _ = Task.Run(() => RunFlightAsync(flight));
        }
    }

    private async ValueTask<RouteReply> RenderMissAsync(RouteInvocation request, CancellationToken cancellationToken)
    {
        var renders = _renders!;
        if (!renders.TryGetValue(request.Path, out var flight))
        {
            var mine = new RenderFlight(request.Path, request.Params, previous: null);
            flight = renders.GetOrAdd(request.Path, mine);
            if (ReferenceEquals(flight, mine))
            {
                // Runs on this caller's thread up to the handler's first await; never throws.
                _ = RunFlightAsync(mine);
            }
        }

        RenderOutcome outcome;
        try
        {
            // The render is shared: a caller that goes away stops waiting, the render goes on for the others.
            outcome = await flight.Completion.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.RequestAborted(_logger, _pattern, request.Method);
            return new RouteReply(s_internalError);
        }

        if (outcome.Dynamic)
        {
            // The render read request data: every caller of it is answered per request, with its own data.
            return await (HandlerSource.HasListeners() ? HandleDynamicTraced(request, cancellationToken) : HandleDynamic(request, cancellationToken));
        }

        var freshFor = outcome.Status is RouteCacheStatus.Hit or RouteCacheStatus.Miss && outcome.Entry is { } entry
            ? FreshFor(entry, _clock.UtcNow)
            : TimeSpan.Zero;
        return new RouteReply(outcome.Response!, outcome.Status, freshFor);
    }

    private async Task RunFlightAsync(RenderFlight flight)
    {
        RenderOutcome outcome;
        try
        {
            outcome = await RenderAsync(flight);
        }
        catch (Exception ex)
        {
            // Only a defect of the cache itself lands here (the handler's failures are handled in RenderAsync).
            Log.RenderCrashed(_logger, _pattern, flight.Path, ex);
            outcome = flight.Previous is { } previous
                ? new RenderOutcome(previous.Response, null, RouteCacheStatus.Stale, Dynamic: false)
                : new RenderOutcome(s_internalErrorNotStored, null, RouteCacheStatus.Miss, Dynamic: false);
        }

        // Stored (or not) first, then removed: a request in between finds the new entry instead of starting a render.
        _renders!.TryRemove(new KeyValuePair<string, RenderFlight>(flight.Path, flight));
        if (flight.Previous is not null)
        {
            // Counted once the flight is gone, so whoever sees the count can start the path's next regeneration.
            _metrics.OnRegeneration(success: !outcome.Dynamic && outcome.Status != RouteCacheStatus.Stale);
        }

        flight.Completion.TrySetResult(outcome);
    }

    private async Task<RenderOutcome> RenderAsync(RenderFlight flight)
    {
        var path = flight.Path;
        if (_store.TryGet(_pattern, path, out var current) && _clock.UtcNow < current.StaleAt)
        {
            // A render that finished between this flight's caller looking and the flight starting stored a fresh entry.
            return new RenderOutcome(current.Response, current, RouteCacheStatus.Hit, Dynamic: false);
        }

        var request = RouteRequest.ForStaticRender(_renderMode, _pattern, path);
        var context = new RouteContext(flight.Params, _revalidator, CancellationToken.None);
        RouteResponse? response = null;
        Exception? failure = null;
        var span = StartHandlerSpan("GET");
        try
        {
            response = await _handler!.InvokeAsync(RouteMethod.Get, request, context);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        if (span is not null)
        {
            EndHandlerSpan(span, response?.Status ?? 500, failure);
            span.Stop();
        }

        // Checked before the outcome: a handler may have caught the bail-out, or failed because the data it read was empty.
        if (request.RequestDataRead is { } read)
        {
            if (_renderMode == RouteRequestMode.Tracked)
            {
                await FallBackToDynamicAsync(path, read);
                return new RenderOutcome(null, null, RouteCacheStatus.None, Dynamic: true);
            }

            Log.StaticBailout(_logger, _pattern, read, path);
            return OnRenderFailed(flight, response: null, failure, $"it used {read} with Dynamic = Error");
        }

        if (failure is not null)
        {
            if (flight.Previous is null)
            {
                Log.HandlerFailed(_logger, _pattern, "GET", _route!.HandlerType, failure);
            }

            return OnRenderFailed(flight, response: null, failure, "the handler threw");
        }

        if (response is null)
        {
            if (flight.Previous is null)
            {
                Log.NullResponse(_logger, _pattern, "GET");
            }

            return OnRenderFailed(flight, response: null, exception: null, "the handler returned no response");
        }

        if (response.Status >= 400 && response.Status != 404)
        {
            if (flight.Previous is null)
            {
                Log.NotStored(_logger, _pattern, path, response.Status);
            }

            return OnRenderFailed(flight, response, exception: null, $"the handler answered {response.Status}");
        }

        var now = _clock.UtcNow;
        var stored = HasCacheControl(response) ? response : response.WithHeader(CacheControlHeader, _cacheControl);
        var staleAt = _revalidateSeconds > 0 ? now.AddSeconds(_revalidateSeconds) : DateTimeOffset.MaxValue;
        var entry = new RouteCacheEntry(stored, now, staleAt, NextVersion());
        bool kept;
        lock (flight)
        {
            kept = !flight.Invalidated;
            if (kept)
            {
                _store.Set(_pattern, path, entry);

                // The store refuses an entry over its whole cap.
                kept = _store.TryGet(_pattern, path, out var installed) && ReferenceEquals(installed, entry);
            }
        }

        // Not stored: no cache downstream may keep it either.
        return kept
            ? new RenderOutcome(stored, entry, RouteCacheStatus.Miss, Dynamic: false)
            : new RenderOutcome(WithNoStore(response), null, RouteCacheStatus.Miss, Dynamic: false);
    }

    // A render that produced nothing to store. A first render answers like a dynamic request would (500, or the
    // handler's own error response) and stores nothing; a regeneration keeps the stale entry, re-armed with a short
    // retry window (Next.js: clamp(revalidate, 3, 30) s) so the failing path is not re-rendered on every request.
    private RenderOutcome OnRenderFailed(RenderFlight flight, RouteResponse? response, Exception? exception, string reason)
    {
        var previous = flight.Previous;
        if (previous is null)
        {
            return new RenderOutcome(response is null ? s_internalErrorNotStored : WithNoStore(response), null, RouteCacheStatus.Miss, Dynamic: false);
        }

        var retryAt = _clock.UtcNow.AddSeconds(Math.Clamp(_revalidateSeconds, 3, 30));
        Log.RegenerationFailed(_logger, flight.Path, _pattern, reason, retryAt, exception);
        RouteCacheEntry? rearmed = null;
        lock (flight)
        {
            // Only the entry this regeneration started from: an invalidation dropped it, or a hand-over replaced it.
            if (!flight.Invalidated && _store.TryGet(_pattern, flight.Path, out var current) && ReferenceEquals(current, previous))
            {
                rearmed = new RouteCacheEntry(previous.Response, previous.CreatedAt, retryAt, previous.Version);
                _store.Set(_pattern, flight.Path, rearmed);
            }
        }

        return new RenderOutcome(previous.Response, rearmed, RouteCacheStatus.Stale, Dynamic: false);
    }

    private async Task FallBackToDynamicAsync(string path, string read)
    {
        _dynamic = true;
        if (Interlocked.Exchange(ref _dynamicLogged, 1) != 0)
        {
            return;
        }

        Log.FellBackToDynamic(_logger, _pattern, read, path);

        // Entries of other paths rendered before this one read request data are no longer served by this activation,
        // and gateways would keep their copies until they expire — never, without Revalidate: drop both.
        _store.RemoveAll(_pattern);
        try
        {
            await _broadcast.BroadcastAsync(NearCacheInvalidation.Topic, new NearCacheInvalidation(_pattern, null).ToPayload(), CancellationToken.None);
        }
        catch (Exception ex)
        {
            Log.FallbackBroadcastFailed(_logger, _pattern, ex);
        }
    }

    private static TimeSpan FreshFor(RouteCacheEntry entry, DateTimeOffset now)
    {
        if (entry.StaleAt == DateTimeOffset.MaxValue)
        {
            return Timeout.InfiniteTimeSpan;
        }

        var left = entry.StaleAt - now;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private static RouteResponse WithNoStore(RouteResponse response)
        => HasCacheControl(response) ? response : response.WithHeader(CacheControlHeader, NoStoreCacheControl);

    private static bool HasCacheControl(RouteResponse response)
    {
        var headers = response.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            if (string.Equals(headers[i].Key, CacheControlHeader, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The one render of a path in progress; concurrent STALE and MISS requests of the path join it.</summary>
    private sealed class RenderFlight
    {
        public RenderFlight(string path, RouteParams @params, RouteCacheEntry? previous)
        {
            Path = path;
            Params = @params;
            Previous = previous;
        }

        public string Path { get; }

        public RouteParams Params { get; }

        /// <summary>The stale entry a background regeneration replaces; <c>null</c> for a MISS.</summary>
        public RouteCacheEntry? Previous { get; }

        public TaskCompletionSource<RenderOutcome> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Set (under this flight's lock) by an invalidation of its path: its result must not be stored.</summary>
        public bool Invalidated { get; set; }
    }

    /// <summary>
    /// What a render gives the requests that waited for it: the response and its cache outcome, the stored entry (for
    /// the near-cache lifetime), or <see cref="Dynamic"/> when each must be rendered per request instead.
    /// </summary>
    private readonly record struct RenderOutcome(RouteResponse? Response, RouteCacheEntry? Entry, RouteCacheStatus Status, bool Dynamic);

    private static partial class Log
    {
        [LoggerMessage(4500, LogLevel.Error, "The route handler of {RoutePattern} ({HandlerType}) threw while handling {Method}; the response is 500.")]
        public static partial void HandlerFailed(ILogger logger, string routePattern, string method, string handlerType, Exception exception);

        [LoggerMessage(4501, LogLevel.Error, "No response is returned from route handler {RoutePattern} for {Method}. Ensure the handler returns a RouteResponse; the response is 500.")]
        public static partial void NullResponse(ILogger logger, string routePattern, string method);

        [LoggerMessage(4502, LogLevel.Debug, "The client aborted {Method} {RoutePattern} while its handler ran.")]
        public static partial void RequestAborted(ILogger logger, string routePattern, string method);

        [LoggerMessage(4503, LogLevel.Warning, "Route {RoutePattern} does not implement {Handler}; answered 405. The gateway's route table and the silo's manifest may differ.")]
        public static partial void MethodNotImplemented(ILogger logger, string routePattern, RouteMethod handler);

        [LoggerMessage(4504, LogLevel.Warning, "A gateway called route {RoutePattern} as grain type {GrainType}, but this silo's manifest and Cluster:Routes:StatelessWorkers make it {Expected}; give gateways and silos the same settings.")]
        public static partial void WorkerSettingDiffers(ILogger logger, string routePattern, string grainType, string expected);

        [LoggerMessage(4510, LogLevel.Error, "Route {RoutePattern} with Dynamic = Error couldn't be rendered statically because it used {RequestData} (rendering {Path}); the response is 500 and is not cached.")]
        public static partial void StaticBailout(ILogger logger, string routePattern, string requestData, string path);

        [LoggerMessage(4511, LogLevel.Warning, "Regenerating {Path} of route {RoutePattern} failed because {Reason}; the stale response is served until {RetryAt:O}, then regenerated again.")]
        public static partial void RegenerationFailed(ILogger logger, string path, string routePattern, string reason, DateTimeOffset retryAt, Exception? exception);

        [LoggerMessage(4512, LogLevel.Warning, "Route {RoutePattern} used {RequestData} while its response for {Path} was rendered for the cache, so, as in Next.js, it is rendered per request and not cached from now on (until this activation ends). Set Dynamic = ForceDynamic to say so, or ForceStatic to cache it without request data.")]
        public static partial void FellBackToDynamic(ILogger logger, string routePattern, string requestData, string path);

        [LoggerMessage(4513, LogLevel.Debug, "The response of route {RoutePattern} for {Path} has status {Status}; it is answered but not cached.")]
        public static partial void NotStored(ILogger logger, string routePattern, string path, int status);

        [LoggerMessage(4514, LogLevel.Debug, "Route {RoutePattern} invalidated {Path}: {Dropped} cached entries dropped here, and every near-cache confirmed.")]
        public static partial void Invalidated(ILogger logger, string routePattern, string path, int dropped);

        [LoggerMessage(4515, LogLevel.Error, "Rendering {Path} of route {RoutePattern} for the cache failed outside the handler; the response is 500 (or the stale one).")]
        public static partial void RenderCrashed(ILogger logger, string routePattern, string path, Exception exception);

        [LoggerMessage(4518, LogLevel.Warning, "Route {RoutePattern} fell back to dynamic, but telling the gateways to drop their copies of its cached responses failed; they expire on their own.")]
        public static partial void FallbackBroadcastFailed(ILogger logger, string routePattern, Exception exception);
    }
}
