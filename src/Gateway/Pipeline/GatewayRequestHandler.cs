using System.Diagnostics;
using Cluster.Gateway.Caching;
using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Dispatch;
using Cluster.Gateway.Hosting;
using Cluster.Gateway.Middleware;
using Cluster.Grains.Caching;
using Cluster.Grains.Matching;
using Cluster.Grains.Routing;
using Cluster.Routing;
using Cluster.Routing.Wire;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Placement;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Pipeline;

/// <summary>
/// The gateway's request path, in Next.js's order (spec §3.4): normalise the raw path (308 for repeated or trailing
/// slashes, 400 for bad encoding or dot segments, 414 for an over-long target), run the app's middleware when its
/// matcher says so (see <c>GatewayRequestHandler.Middleware.cs</c>), resolve the route (static, then dynamic, else
/// 404), apply the method rules (400/405/HEAD/OPTIONS), read the body within its limit (413), dispatch to the route's
/// grain and write what it answered.
/// </summary>
/// <remarks>
/// <para>
/// A GET (or HEAD) of a cached route (<see cref="RouteCacheability"/>, never a stateless worker) is answered 404 without a
/// call when its route lists its params and this path is not listed (<see cref="StaticParamsIndex"/>), and from the
/// near-cache (<see cref="GatewayNearCache"/>, <c>x-route-cache: HIT</c>) without reading the body or calling the owner
/// when it holds a fresh copy. Otherwise the owner's reply is written and, for a GET, offered to the near-cache with the
/// epoch read before the call. The middleware always runs first: a near-cache hit never skips it.
/// </para>
/// <para>
/// The gateway writes <c>x-route-cache</c> from the reply's cache outcome (the owner's stored response does not carry
/// it), and <c>Cache-Control: private, no-cache, no-store, max-age=0, must-revalidate</c> on replies that are not cached
/// unless the handler or the middleware set one.
/// </para>
/// <para>
/// Internal request headers (<see cref="InternalRequestHeaders"/>) are stripped in the same pass that reads the headers,
/// before the matcher, the middleware or a handler sees them. Middleware decisions travel in this class's parameters
/// and in <see cref="RouteInvocation"/>, never as headers.
/// </para>
/// <para>
/// Traces (<see cref="GatewayTracing"/>): under the request's root span — the host's, or the gateway's own when the
/// host made none — a <c>middleware</c> span while the middleware runs and a <c>dispatch &lt;pattern&gt;</c> client span
/// around the grain call. Every server error the gateway answers (5xx) logs exactly one line naming the route, the silo
/// and the trace id, and is kept in <see cref="RecentFailures"/> (see <c>GatewayRequestHandler.Failures.cs</c>).
/// </para>
/// </remarks>
internal sealed partial class GatewayRequestHandler
{
    private readonly RouteTable _routes;
    private readonly string[] _allowByRoute;
    private readonly bool[] _cachedByRoute;
    private readonly IRouteDispatcher _dispatcher;
    private readonly GatewayNearCache _nearCache;
    private readonly StaticParamsIndex _staticParams;
    private readonly GatewayOptions _options;
    private readonly ILogger<GatewayRequestHandler> _logger;
    private readonly GatewayMetrics _metrics;
    private readonly RecentFailures _failures;
    private readonly TimeProvider _timeProvider;
    private readonly StatelessWorkerRoutes _workers;
    private readonly IGrainLocator? _locator;
    private readonly ISiloStatus? _localSilo;
    private readonly AppMiddleware? _middleware;

    /// <param name="routes">The app's route table.</param>
    /// <param name="dispatcher">Sends routed requests to their grains.</param>
    /// <param name="nearCache">Copies of cached responses, served without a call.</param>
    /// <param name="staticParams">The params routes list, for the 404 of unlisted ones.</param>
    /// <param name="workers">The stateless-worker routes, which are never cached.</param>
    /// <param name="options">The gateway's settings.</param>
    /// <param name="logger">The request path's logger.</param>
    /// <param name="metrics">The request duration and middleware outcome instruments.</param>
    /// <param name="failures">Where each server error the gateway answers is kept for the dashboard.</param>
    /// <param name="timeProvider">The clock of <see cref="FailedRequest.At"/>.</param>
    /// <param name="middleware">The app's middleware; <c>null</c> (not registered) when the app has none.</param>
    /// <param name="locator">
    /// Where route grains live, to name the silo of a failed call when no trace recorded it; <c>null</c> in a host
    /// without the runtime.
    /// </param>
    /// <param name="localSilo">The silo this process hosts, if any (it serves what has no other owner here).</param>
    public GatewayRequestHandler(
        RouteTable routes,
        IRouteDispatcher dispatcher,
        GatewayNearCache nearCache,
        StaticParamsIndex staticParams,
        StatelessWorkerRoutes workers,
        IOptions<GatewayOptions> options,
        ILogger<GatewayRequestHandler> logger,
        GatewayMetrics metrics,
        RecentFailures failures,
        TimeProvider timeProvider,
        AppMiddleware? middleware = null,
        IGrainLocator? locator = null,
        ISiloStatus? localSilo = null)
    {
        _routes = routes;
        _middleware = middleware;
        _failures = failures;
        _timeProvider = timeProvider;
        _workers = workers;
        _locator = locator;
        _localSilo = localSilo;
        _dispatcher = dispatcher;
        _nearCache = nearCache;
        _staticParams = staticParams;
        _options = options.Value;
        _logger = logger;
        _metrics = metrics;
        _allowByRoute = new string[routes.Routes.Count];
        _cachedByRoute = new bool[routes.Routes.Count];
        foreach (var route in routes.Routes)
        {
            _allowByRoute[route.Index] = RouteMethodGate.FormatAllow(route.Definition.Methods);
            _cachedByRoute[route.Index] = RouteCacheability.IsCacheable(route.Definition) && !workers.Contains(route.Definition.Pattern);
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        // A request the host gave no root span gets the gateway's own, so its spans have a parent. Without a listener
        // this is one field read; the ambient activity is read only when someone listens.
        if (GatewayTracing.IsEnabled && Activity.Current is null)
        {
            return InvokeInOwnSpanAsync(context);
        }

        return InvokeCore(context);
    }

    private async Task InvokeInOwnSpanAsync(HttpContext context)
    {
        var activity = GatewayTracing.StartRequest(context);
        if (activity is null)
        {
            await InvokeCore(context).ConfigureAwait(false);
            return;
        }

        try
        {
            await InvokeCore(context).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            GatewayTracing.EndRequest(activity, StatusCodes.Status500InternalServerError, exception);
            throw;
        }

        GatewayTracing.EndRequest(activity, context.Response.StatusCode);
    }

    private Task InvokeCore(HttpContext context)
    {
        // Taken first so the duration covers the whole of the gateway's work; a timestamp allocates nothing.
        var start = Stopwatch.GetTimestamp();
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        if (target.Length > _options.MaxUrlLength)
        {
            Log.PathRejected(_logger, StatusCodes.Status414UriTooLong);
            return Answered(context, RouteResponseWriter.WriteEmpty(context, StatusCodes.Status414UriTooLong), start, GatewayMetrics.UnmatchedRoute);
        }

        if (!RequestTarget.TrySplit(target, out var path, out var query))
        {
            Log.PathRejected(_logger, StatusCodes.Status400BadRequest);
            return Answered(context, RouteResponseWriter.WriteEmpty(context, StatusCodes.Status400BadRequest), start, GatewayMetrics.UnmatchedRoute);
        }

        switch (RequestPathNormalizer.Normalize(path, out var normalized))
        {
            case PathNormalizationResult.Redirect:
                Log.PathRedirected(_logger, path, normalized);
                return Answered(context, RouteResponseWriter.WriteRedirect(context, normalized + query), start, GatewayMetrics.UnmatchedRoute);
            case PathNormalizationResult.BadRequest:
                Log.PathRejected(_logger, StatusCodes.Status400BadRequest);
                return Answered(context, RouteResponseWriter.WriteEmpty(context, StatusCodes.Status400BadRequest), start, GatewayMetrics.UnmatchedRoute);
        }

        if (_middleware is { } middleware)
        {
            return RunMiddleware(context, middleware, path, query, start);
        }

        return Route(context, path, query, headers: null, body: null, start);
    }

    /// <summary>
    /// Routes <paramref name="path"/> (the request's, or a rewrite's destination) and dispatches it. The middleware stage
    /// passes the headers it read (with its changes applied) and the body it read; without one both are read here.
    /// </summary>
    private Task Route(HttpContext context, string path, string query, RouteHeaders? headers, ReadOnlyMemory<byte>? body, long start)
    {
        if (!_routes.TryMatch(path, out var match))
        {
            Log.RouteNotFound(_logger, path);
            context.Response.Headers.CacheControl = RouteResponseWriter.NotFoundCacheControl;
            return Answered(context, RouteResponseWriter.WriteEmpty(context, StatusCodes.Status404NotFound), start, GatewayMetrics.UnmatchedRoute);
        }

        var route = match.Entry;
        if (GatewayTracing.IsEnabled)
        {
            GatewayTracing.RouteMatched(route.Definition.Pattern);
        }

        if (!RouteMethodGate.TryParse(context.Request.Method, out var method))
        {
            Log.MethodRejected(_logger, context.Request.Method, route.Definition.Pattern, StatusCodes.Status400BadRequest);
            return Answered(context, RouteResponseWriter.WriteEmpty(context, StatusCodes.Status400BadRequest), start, route.Definition.Pattern);
        }

        if (RouteMethodGate.SelectHandler(method, route.Definition.Methods) is not { } handler)
        {
            var allow = _allowByRoute[route.Index];
            if (method == RouteMethod.Options)
            {
                return Answered(context, RouteResponseWriter.WriteEmpty(context, StatusCodes.Status204NoContent, allow), start, route.Definition.Pattern);
            }

            Log.MethodRejected(_logger, context.Request.Method, route.Definition.Pattern, StatusCodes.Status405MethodNotAllowed);
            return Answered(context, RouteResponseWriter.WriteEmpty(context, StatusCodes.Status405MethodNotAllowed, allow), start, route.Definition.Pattern);
        }

        var pattern = route.Definition.Pattern;
        var cached = false;
        var epoch = 0L;
        if (handler == RouteMethod.Get && _cachedByRoute[route.Index])
        {
            if (_staticParams.IsUnlisted(pattern, path))
            {
                Log.StaticParamsUnlisted(_logger, pattern, path);
                context.Response.Headers.CacheControl = RouteResponseWriter.NotFoundCacheControl;
                return Answered(context, RouteResponseWriter.WriteEmpty(context, StatusCodes.Status404NotFound), start, pattern);
            }

            // Read before the lookup and the call: an invalidation after this point refuses the call's reply.
            epoch = _nearCache.Epoch;
            if (_nearCache.TryGet(pattern, path, out var copy))
            {
                return Answered(context, WriteNearCacheHit(context, pattern, copy), start, pattern, RouteCacheStatus.Hit);
            }

            cached = true;
        }

        var @params = RouteTable.GetParams(match, path);
        return DispatchAsync(context, pattern, handler, path, query, @params, headers, body, cached, epoch, start);
    }

    /// <summary>A near-cache HIT: the owner's response as it answered it, without reading the body or calling it.</summary>
    private Task WriteNearCacheHit(HttpContext context, string pattern, RouteResponse copy)
    {
        try
        {
            return RouteResponseWriter.WriteReplyAsync(context, copy, RouteCacheStatus.Hit, omitBody: HttpMethods.IsHead(context.Request.Method));
        }
        catch (InvalidOperationException exception) when (!context.Response.HasStarted)
        {
            // Not expected (a copy is kept only after it was written once), but a 500 beats a dropped connection. No
            // silo took part: the copy is the gateway's.
            ResponseWriteFailed(context, pattern, silo: null, dispatch: null, exception);
            context.Response.Clear();
            return RouteResponseWriter.WriteEmpty(context, StatusCodes.Status500InternalServerError);
        }
    }

    private async Task DispatchAsync(
        HttpContext context,
        string pattern,
        RouteMethod handler,
        string path,
        string query,
        RouteParams @params,
        RouteHeaders? headers,
        ReadOnlyMemory<byte>? readBody,
        bool cached,
        long epoch,
        long start)
    {
        ReadOnlyMemory<byte> body;
        if (readBody is { } alreadyRead)
        {
            body = alreadyRead;
        }
        else
        {
            (var status, body) = await RequestBodyReader.ReadAsync(context, _options.MaxRequestBodySize).ConfigureAwait(false);
            if (status != BodyReadStatus.Complete)
            {
                await AnswerBodyFailure(context, pattern, status, start, pattern).ConfigureAwait(false);
                return;
            }
        }

        var request = context.Request;
        var invocation = new RouteInvocation
        {
            Pattern = pattern,
            Handler = handler,
            Method = request.Method,
            Scheme = request.Scheme,
            Host = request.Host.Value ?? string.Empty,
            Path = path,
            QueryString = query,
            Headers = headers ?? ReadHeaders(context, path),
            Body = body,
            Params = @params,
        };

        RouteReply reply;

        // The client span around the grain call (null without a listener): the call carries its context to the silo,
        // and the runtime records on it which silo that was.
        var dispatch = GatewayTracing.StartDispatch(pattern);
        try
        {
            reply = await _dispatcher.DispatchAsync(invocation, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var error = DispatchErrors.Classify(exception, context.RequestAborted);
            if (dispatch is not null)
            {
                if (error != DispatchError.ClientAborted)
                {
                    GatewayTracing.Fail(dispatch, exception.GetType().FullName ?? exception.GetType().Name);
                }

                dispatch.Stop();
            }

            if (error == DispatchError.ClientAborted)
            {
                Log.ClientAborted(_logger, pattern);
                return;
            }

            DispatchFailed(context, pattern, error, dispatch, exception);
            await RouteResponseWriter.WriteEmpty(context, DispatchErrors.ToStatusCode(error)).ConfigureAwait(false);
            RecordRequest(context, start, pattern, RouteCacheStatus.None);
            return;
        }

        dispatch?.Stop();

        // A failed write below is answered 500 and recorded as such, without the cache outcome it never delivered.
        var cache = RouteCacheStatus.None;

        try
        {
            var isHead = HttpMethods.IsHead(request.Method);
            var write = RouteResponseWriter.WriteReplyAsync(context, reply.Response, reply.Cache, omitBody: isHead);

            // Kept once its head was accepted (a response Kestrel refuses is never served again), and only from a GET:
            // the copy must be the GET's, whatever an owner answers a HEAD with.
            if (cached && !isHead)
            {
                _nearCache.TryAdd(pattern, path, reply, epoch);
            }

            await write.ConfigureAwait(false);
            cache = reply.Cache;
            if (reply.Response.Status >= StatusCodes.Status500InternalServerError)
            {
                // The handler's own server error (it threw, returned nothing, or answered 5xx): the silo logged its side.
                RouteAnsweredServerError(context, pattern, reply.Response.Status, dispatch);
            }
        }
        catch (InvalidOperationException exception) when (!context.Response.HasStarted)
        {
            // Kestrel refuses header values it cannot send (non-ASCII, for one): the handler's fault, answered as 500.
            ResponseWriteFailed(context, pattern, SiloOf(dispatch, pattern), dispatch, exception);
            context.Response.Clear();
            await RouteResponseWriter.WriteEmpty(context, StatusCodes.Status500InternalServerError).ConfigureAwait(false);
        }

        RecordRequest(context, start, pattern, cache);
    }

    /// <summary>
    /// Reads the request headers for the matcher, the middleware and the handler, stripping internal ones from the
    /// request in the same pass.
    /// </summary>
    private RouteHeaders ReadHeaders(HttpContext context, string path)
    {
        var headers = RequestHeaderReader.Read(context.Request.Headers, out var removed);
        if (removed != 0)
        {
            Log.InternalHeadersRemoved(_logger, removed, path);
        }

        return headers;
    }

    /// <summary>413 for a body over the limit; nothing (the connection is aborted) when the client went away.</summary>
    private Task AnswerBodyFailure(HttpContext context, string route, BodyReadStatus status, long start, string metricRoute)
    {
        if (status == BodyReadStatus.TooLarge)
        {
            Log.RequestBodyTooLarge(_logger, route, _options.MaxRequestBodySize);
            context.Response.Headers.Connection = "close";
            return Answered(context, RouteResponseWriter.WriteEmpty(context, StatusCodes.Status413PayloadTooLarge), start, metricRoute);
        }

        Log.ClientAborted(_logger, route);
        context.Abort();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Records <paramref name="write"/>'s request once it completed: now when it already has (the common case, which
    /// allocates nothing), else after it. A write that fails is not recorded: the request was not answered.
    /// </summary>
    private Task Answered(HttpContext context, Task write, long start, string route, RouteCacheStatus cache = RouteCacheStatus.None)
    {
        if (!_metrics.IsRequestDurationEnabled)
        {
            return write;
        }

        if (write.IsCompletedSuccessfully)
        {
            RecordRequest(context, start, route, cache);
            return write;
        }

        return RecordWhenWrittenAsync(context, write, start, route, cache);
    }

    private async Task RecordWhenWrittenAsync(HttpContext context, Task write, long start, string route, RouteCacheStatus cache)
    {
        await write.ConfigureAwait(false);
        RecordRequest(context, start, route, cache);
    }

    private void RecordRequest(HttpContext context, long start, string route, RouteCacheStatus cache) =>
        _metrics.RequestCompleted(route, context.Request.Method, context.Response.StatusCode, cache, start);
}
