using Cluster.Grains.Routing;
using Cluster.Routing;
using Cluster.Routing.Wire;
using Cluster.Runtime;
using Cluster.Runtime.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Caching;

/// <summary>
/// Renders every path listed by <c>GenerateStaticParams</c> once the silo is Active and before it reports ready, by
/// calling each route's grain with a synthetic GET (<c>http://localhost&lt;path&gt;</c>, no query, headers or body), at
/// most <see cref="StaticParamsOptions.PrerenderConcurrency"/> at a time. Every silo does it: the owner of a route may be
/// another silo, which answers HIT when it holds the entry already, so a cluster that starts is warm before any silo is
/// ready. A path that fails is logged and the others go on; the start-up task runner bounds the whole run.
/// </summary>
internal sealed partial class StaticParamsPrerenderer : ISiloStartupTask
{
    private readonly StaticParamsIndex _index;
    private readonly IRouteCatalog _catalog;
    private readonly StatelessWorkerRoutes _workers;
    private readonly IGrainFactory _grains;
    private readonly int _concurrency;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public StaticParamsPrerenderer(
        StaticParamsIndex index,
        IRouteCatalog catalog,
        StatelessWorkerRoutes workers,
        IGrainFactory grains,
        IOptions<StaticParamsOptions> options,
        TimeProvider time,
        ILogger<StaticParamsPrerenderer> logger)
    {
        _index = index;
        _catalog = catalog;
        _workers = workers;
        _grains = grains;
        _concurrency = options.Value.PrerenderConcurrency;
        _time = time;
        _logger = logger;
    }

    public string Name => "Prerender GenerateStaticParams";

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _index.InitializeAsync(cancellationToken);
        var paths = new List<StaticParamsPath>();
        var routes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var listed in _index.Listed)
        {
            if (IsPrerendered(listed.Pattern))
            {
                paths.Add(listed);
                routes.Add(listed.Pattern);
            }
        }

        if (paths.Count == 0)
        {
            return;
        }

        Log.Starting(_logger, paths.Count, routes.Count, _concurrency);
        var started = _time.GetTimestamp();
        var counts = new Counts();
        var completed = false;
        try
        {
            await Parallel.ForEachAsync(
                paths,
                new ParallelOptions { MaxDegreeOfParallelism = _concurrency, CancellationToken = cancellationToken },
                (path, token) => PrerenderAsync(path, counts, token));
            completed = true;
        }
        finally
        {
            Log.Finished(
                _logger,
                paths.Count,
                routes.Count,
                completed ? "finished" : "stopped early (timeout or shutdown)",
                _time.GetElapsedTime(started).TotalMilliseconds,
                counts.Rendered,
                counts.Cached,
                counts.Uncached,
                counts.Failed);
        }
    }

    /// <summary>The synthetic request a listed path is prerendered with: what a static render sees.</summary>
    internal static RouteInvocation CreateInvocation(StaticParamsPath path) => new()
    {
        Pattern = path.Pattern,
        Handler = RouteMethod.Get,
        Method = "GET",
        Scheme = "http",
        Host = "localhost",
        Path = path.Path,
        QueryString = string.Empty,
        Headers = RouteHeaders.Empty,
        Params = path.Params,
    };

    private bool IsPrerendered(string pattern)
        => _catalog.TryGetRoute(pattern, out var route)
            && (route.Methods & RouteMethods.Get) != 0
            && RouteCacheability.IsCacheable(route)
            && !_workers.Contains(pattern);

    private async ValueTask PrerenderAsync(StaticParamsPath path, Counts counts, CancellationToken cancellationToken)
    {
        RouteReply reply;
        try
        {
            reply = await _grains.GetRouteGrain(path.Pattern).InvokeAsync(CreateInvocation(path), cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            Interlocked.Increment(ref counts.Failed);
            Log.PathFailed(_logger, path.Path, path.Pattern, ex);
            return;
        }

        var status = reply.Response.Status;
        if (status >= 400 && status != 404)
        {
            // Not stored (the route cache keeps no error but 404): the first request renders it again.
            Interlocked.Increment(ref counts.Failed);
            Log.PathAnsweredError(_logger, path.Path, path.Pattern, status);
            return;
        }

        switch (reply.Cache)
        {
            case RouteCacheStatus.Miss:
                Interlocked.Increment(ref counts.Rendered);
                break;
            case RouteCacheStatus.Hit or RouteCacheStatus.Stale:
                Interlocked.Increment(ref counts.Cached);
                break;
            default:
                // The owner did not cache it (e.g. the render read request data and the route turned dynamic).
                Interlocked.Increment(ref counts.Uncached);
                break;
        }
    }

    // Fields, so the parallel bodies can Interlocked them.
    private sealed class Counts
    {
        public int Rendered;
        public int Cached;
        public int Uncached;
        public int Failed;
    }

    private static partial class Log
    {
        [LoggerMessage(4540, LogLevel.Information, "Prerendering {PathCount} paths of {RouteCount} routes listed by GenerateStaticParams, {Concurrency} at a time, before this silo reports ready.")]
        public static partial void Starting(ILogger logger, int pathCount, int routeCount, int concurrency);

        [LoggerMessage(4541, LogLevel.Information, "Prerendering {PathCount} paths of {RouteCount} routes {Outcome} in {ElapsedMs:F0} ms: {Rendered} rendered, {Cached} already cached, {Uncached} not cached, {Failed} failed.")]
        public static partial void Finished(ILogger logger, int pathCount, int routeCount, string outcome, double elapsedMs, int rendered, int cached, int uncached, int failed);

        [LoggerMessage(4542, LogLevel.Warning, "Prerendering {Path} of route {RoutePattern} failed; the first request for it renders it.")]
        public static partial void PathFailed(ILogger logger, string path, string routePattern, Exception exception);

        [LoggerMessage(4543, LogLevel.Warning, "Prerendering {Path} of route {RoutePattern} answered {Status}, which is not cached; the first request for it renders it again.")]
        public static partial void PathAnsweredError(ILogger logger, string path, string routePattern, int status);
    }
}
