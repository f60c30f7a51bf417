using System.Buffers;
using System.Collections.Frozen;
using Cluster.Grains.Routing;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Caching;

/// <summary>
/// The paths each route lists with <c>GenerateStaticParams</c>, evaluated once per process at start-up. Gateways use it
/// to answer 404 for unlisted params of a route with <c>DynamicParams = false</c> without a grain call; silos use it to
/// prerender the listed paths before they report ready.
/// </summary>
/// <remarks>
/// A route whose function throws, hangs past <see cref="StaticParamsOptions.StaticParamsTimeout"/> or returns null
/// fails open: it lists nothing and refuses nothing (an error log names it). A param set whose path cannot be built
/// (a param missing or of the wrong kind) is logged and skipped; the route's other sets still count.
/// </remarks>
internal sealed partial class StaticParamsIndex
{
    // Paths up to this length are percent-decoded on the stack for the unescaped lookup.
    private const int StackDecodeLimit = 256;

    private readonly IRouteCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private Task? _initialization;

    // Null until initialised: IsUnlisted answers false meanwhile (fail open).
    private volatile FrozenDictionary<string, ListedPaths>? _closedRoutes;

    public StaticParamsIndex(IRouteCatalog catalog, IOptions<StaticParamsOptions> options, TimeProvider time, ILogger<StaticParamsIndex> logger)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _catalog = catalog;
        _timeout = options.Value.StaticParamsTimeout;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Every listed path of every route with <c>GenerateStaticParams</c>, in manifest order and then the function's
    /// order, each path once per route. Empty until <see cref="InitializeAsync"/> completes.
    /// </summary>
    public IReadOnlyList<StaticParamsPath> Listed { get; private set; } = [];

    /// <summary>How many routes have <c>GenerateStaticParams</c> (evaluated or failed open).</summary>
    public int RouteCount { get; private set; }

    /// <summary>Whether the index has been built.</summary>
    public bool IsInitialized => _closedRoutes is not null;

    /// <summary>
    /// Evaluates every route's <c>GenerateStaticParams</c> (concurrently, each bounded by the timeout) and builds the
    /// index; the first call starts it and every call returns the same work, so the hosted initializer and the silo's
    /// prerenderer can both await it whichever runs first. Never faults: failures are logged and fail open.
    /// </summary>
    /// <param name="cancellationToken">Stops this caller's wait, not the evaluation others may be waiting on.</param>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        var initialization = _initialization;
        if (initialization is null)
        {
            lock (_lock)
            {
                // Task.Run: a GenerateStaticParams that blocks its thread must not block the caller (a hosted service's
                // StartAsync) past the timeout.
                initialization = _initialization ??= Task.Run(BuildAsync, CancellationToken.None);
            }
        }

        return initialization.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Whether <paramref name="path"/> (normalised, as routed) of the route <paramref name="pattern"/> must be answered
    /// 404: the route has <c>DynamicParams = false</c> and its <c>GenerateStaticParams</c> does not list the path.
    /// False for every other route, and while the index is not initialised. Allocation-free.
    /// </summary>
    /// <remarks>
    /// A path counts as listed when it equals a listed path, or when its percent-decoded form equals a listed path's
    /// decoded form (so <c>%c3%a9</c> and <c>%C3%A9</c> are the same value). Decoding is whole-path, as the router's
    /// static lookup does: <c>/x/a%2Fb</c> and <c>/x/a/b</c> compare equal here although they route differently.
    /// </remarks>
    public bool IsUnlisted(string pattern, string path)
    {
        var closed = _closedRoutes;
        if (closed is null || !closed.TryGetValue(pattern, out var listed))
        {
            return false;
        }

        return !listed.Contains(path);
    }

    private async Task BuildAsync()
    {
        var routes = new List<RouteDefinition>();
        foreach (var route in _catalog.Routes)
        {
            if (route.GenerateStaticParams is not null)
            {
                routes.Add(route);
            }
        }

        var evaluations = new Task<IReadOnlyList<RouteParams>?>[routes.Count];
        for (var i = 0; i < routes.Count; i++)
        {
            evaluations[i] = EvaluateAsync(routes[i]);
        }

        var listed = new List<StaticParamsPath>();
        var closed = new Dictionary<string, ListedPaths>(StringComparer.Ordinal);
        for (var i = 0; i < routes.Count; i++)
        {
            var route = routes[i];
            var sets = await evaluations[i];
            if (sets is null)
            {
                // Failed open: already logged.
                continue;
            }

            var paths = new HashSet<string>(StringComparer.Ordinal);
            foreach (var set in sets)
            {
                if (set is null)
                {
                    Log.InvalidParamSet(_logger, route.Pattern, "a param set is null");
                    continue;
                }

                if (!StaticParamsPaths.TryBuild(route.Pattern, set, out var path, out var routed, out var error))
                {
                    Log.InvalidParamSet(_logger, route.Pattern, error);
                    continue;
                }

                if (paths.Add(path))
                {
                    listed.Add(new StaticParamsPath(route.Pattern, path, routed));
                }
            }

            if (!route.Config.DynamicParams)
            {
                closed.Add(route.Pattern, new ListedPaths(paths));
            }
        }

        Listed = listed;
        RouteCount = routes.Count;
        _closedRoutes = closed.ToFrozenDictionary(StringComparer.Ordinal);
        if (routes.Count > 0)
        {
            Log.Initialized(_logger, listed.Count, routes.Count, closed.Count);
        }
    }

    /// <summary>The route's param sets, or null when its function failed (logged).</summary>
    private async Task<IReadOnlyList<RouteParams>?> EvaluateAsync(RouteDefinition route)
    {
        try
        {
            // The function and the enumeration of its result are app code: both run on the thread pool under the
            // timeout, so neither a slow await nor a blocking loop holds start-up.
            return await Task.Run(
                async () =>
                {
                    var result = await route.GenerateStaticParams!();
                    return result is null ? null : (IReadOnlyList<RouteParams>)[.. result];
                },
                CancellationToken.None).WaitAsync(_timeout, _time) ?? LogNull(route);
        }
        catch (TimeoutException)
        {
            Log.GenerateTimedOut(_logger, route.Pattern, route.HandlerType, _timeout.TotalSeconds);
            return null;
        }
        catch (Exception ex)
        {
            Log.GenerateFailed(_logger, route.Pattern, route.HandlerType, ex);
            return null;
        }
    }

    private IReadOnlyList<RouteParams>? LogNull(RouteDefinition route)
    {
        Log.GenerateReturnedNull(_logger, route.Pattern, route.HandlerType);
        return null;
    }

    /// <summary>The listed paths of one route with <c>DynamicParams = false</c>, raw and percent-decoded.</summary>
    private sealed class ListedPaths
    {
        private readonly FrozenSet<string> _raw;
        private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _decoded;

        public ListedPaths(IEnumerable<string> paths)
        {
            _raw = paths.ToFrozenSet(StringComparer.Ordinal);
            _decoded = _raw.Select(static p => Uri.UnescapeDataString(p))
                .ToFrozenSet(StringComparer.Ordinal)
                .GetAlternateLookup<ReadOnlySpan<char>>();
        }

        public bool Contains(string path)
        {
            if (_raw.Contains(path))
            {
                return true;
            }

            if (!path.Contains('%'))
            {
                // Nothing to decode: the path is its own decoded form.
                return _decoded.Contains(path);
            }

            // A decoded path is never longer than the raw one.
            char[]? rented = null;
            Span<char> buffer = path.Length <= StackDecodeLimit
                ? stackalloc char[path.Length]
                : (rented = ArrayPool<char>.Shared.Rent(path.Length));
            try
            {
                return Uri.TryUnescapeDataString(path, buffer, out var written) && _decoded.Contains(buffer[..written]);
            }
            finally
            {
                if (rented is not null)
                {
                    ArrayPool<char>.Shared.Return(rented);
                }
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(4535, LogLevel.Error, "GenerateStaticParams of route {RoutePattern} ({HandlerType}) threw; the route lists no static path and refuses no param (it fails open).")]
        public static partial void GenerateFailed(ILogger logger, string routePattern, string handlerType, Exception exception);

        [LoggerMessage(4536, LogLevel.Error, "GenerateStaticParams of route {RoutePattern} ({HandlerType}) did not finish within {TimeoutSeconds} s (Cluster:Cache:StaticParamsTimeout); the route lists no static path and refuses no param (it fails open).")]
        public static partial void GenerateTimedOut(ILogger logger, string routePattern, string handlerType, double timeoutSeconds);

        [LoggerMessage(4537, LogLevel.Error, "GenerateStaticParams of route {RoutePattern} ({HandlerType}) returned null; the route lists no static path and refuses no param (it fails open).")]
        public static partial void GenerateReturnedNull(ILogger logger, string routePattern, string handlerType);

        [LoggerMessage(4538, LogLevel.Error, "GenerateStaticParams of route {RoutePattern} returned a param set that is skipped: {Reason}")]
        public static partial void InvalidParamSet(ILogger logger, string routePattern, string reason);

        [LoggerMessage(4539, LogLevel.Information, "GenerateStaticParams listed {PathCount} paths of {RouteCount} routes ({ClosedRouteCount} with DynamicParams = false refuse the others).")]
        public static partial void Initialized(ILogger logger, int pathCount, int routeCount, int closedRouteCount);
    }
}
