using System.Diagnostics;
using Cluster.Gateway.Diagnostics;
using Cluster.Gateway.Middleware;
using Cluster.Grains.Matching;
using Cluster.Routing;

namespace Cluster.Gateway.Pipeline;

/// <summary>
/// The middleware stage: after slash normalisation, before routing (spec §3.4). The request's headers are read once
/// (internal ones stripped) and the matcher decides; when the middleware runs, the body is read first (it may read it)
/// and the result is applied — <c>Next</c> and a same-host <c>Rewrite</c> continue into <see cref="Route"/>, which
/// never runs the middleware again; a rewrite to another host is proxied; <c>Redirect</c> and <c>Respond</c> answer.
/// </summary>
internal sealed partial class GatewayRequestHandler
{
    private Task RunMiddleware(HttpContext context, AppMiddleware middleware, string path, string query, long start)
    {
        var headers = ReadHeaders(context, path);

        // Parsed from the Host header on every read of Request.Host, so read once for the matcher and the middleware.
        var host = context.Request.Host.Value ?? string.Empty;
        if (!middleware.Evaluator.ShouldRun(path, query, headers, host))
        {
            // The headers already read are reused; the body is read at dispatch as without a middleware.
            return Route(context, path, query, headers, body: null, start);
        }

        // A request that cannot have a body (a GET without one) completes synchronously and reads nothing.
        var read = RequestBodyReader.ReadAsync(context, _options.MaxRequestBodySize);
        if (!read.IsCompletedSuccessfully)
        {
            return ReadBodyThenInvokeAsync(context, middleware, path, query, host, headers, read, start);
        }

        var (status, body) = read.Result;
        return status == BodyReadStatus.Complete
            ? InvokeMiddleware(context, middleware, path, query, host, headers, body, start)
            : AnswerBodyFailure(context, path, status, start, GatewayMetrics.UnmatchedRoute);
    }

    private async Task ReadBodyThenInvokeAsync(
        HttpContext context,
        AppMiddleware middleware,
        string path,
        string query,
        string host,
        RouteHeaders headers,
        ValueTask<(BodyReadStatus Status, ReadOnlyMemory<byte> Body)> read,
        long start)
    {
        var (status, body) = await read.ConfigureAwait(false);
        await (status == BodyReadStatus.Complete
            ? InvokeMiddleware(context, middleware, path, query, host, headers, body, start)
            : AnswerBodyFailure(context, path, status, start, GatewayMetrics.UnmatchedRoute)).ConfigureAwait(false);
    }

    private Task InvokeMiddleware(HttpContext context, AppMiddleware middleware, string path, string query, string host, RouteHeaders headers, ReadOnlyMemory<byte> body, long start)
    {
        var request = context.Request;
        var routeRequest = new RouteRequest(request.Method, request.Scheme, host, path, query, headers, body);

        // The middleware's span (null without a listener) is current while it runs, so what it does nests under it; it
        // ends before routing goes on, so the dispatch that may follow is its sibling under the request's root.
        Activity? root = null;
        Activity? span = null;
        if (GatewayTracing.IsEnabled)
        {
            root = Activity.Current;
            span = GatewayTracing.StartMiddleware();
        }

        ValueTask<MiddlewareResult> pending;
        try
        {
            pending = middleware.InvokeAsync(routeRequest, context.RequestAborted);
        }
        catch (Exception exception)
        {
            GatewayTracing.EndMiddleware(span, exception);
            return MiddlewareFailed(context, middleware, path, exception, start);
        }

        // No async state machine when the middleware finished synchronously, the common case for Next.
        if (pending.IsCompletedSuccessfully)
        {
            var result = pending.Result;
            GatewayTracing.EndMiddleware(span, result?.Kind ?? MiddlewareResultKind.Next);
            return ApplyResult(context, middleware, path, query, headers, body, result, start);
        }

        if (span is not null)
        {
            // Still running: its span ends when it does (AwaitMiddlewareAsync); this flow goes back to the root.
            Activity.Current = root;
        }

        return AwaitMiddlewareAsync(context, middleware, path, query, headers, body, pending, span, start);
    }

    private async Task AwaitMiddlewareAsync(
        HttpContext context,
        AppMiddleware middleware,
        string path,
        string query,
        RouteHeaders headers,
        ReadOnlyMemory<byte> body,
        ValueTask<MiddlewareResult> pending,
        Activity? span,
        long start)
    {
        MiddlewareResult? result;
        try
        {
            result = await pending.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The middleware gave up because the client went away: nobody to answer, and not a server fault.
            GatewayTracing.EndMiddleware(span, outcome: null);
            Log.ClientAborted(_logger, path);
            return;
        }
        catch (Exception exception)
        {
            GatewayTracing.EndMiddleware(span, exception);
            await MiddlewareFailed(context, middleware, path, exception, start).ConfigureAwait(false);
            return;
        }

        GatewayTracing.EndMiddleware(span, result?.Kind ?? MiddlewareResultKind.Next);
        await ApplyResult(context, middleware, path, query, headers, body, result, start).ConfigureAwait(false);
    }

    private Task ApplyResult(
        HttpContext context,
        AppMiddleware middleware,
        string path,
        string query,
        RouteHeaders headers,
        ReadOnlyMemory<byte> body,
        MiddlewareResult? result,
        long start)
    {
        // A middleware that returns nothing continues routing, as Next.js treats a middleware returning undefined.
        result ??= MiddlewareResult.Next();
        Log.MiddlewareCompleted(_logger, middleware.HandlerType, path, result.Kind);
        MiddlewareResponseHeaders.Apply(context.Response, result.ResponseHeaders, _logger);
        switch (result.Kind)
        {
            case MiddlewareResultKind.Next:
                _metrics.MiddlewareCompleted(result.Kind);
                return Route(context, path, query, MiddlewareRequestHeaders.Apply(headers, result.RequestHeaderChanges), body, start);
            case MiddlewareResultKind.Rewrite:
                _metrics.MiddlewareCompleted(result.Kind);
                return Rewrite(context, middleware, path, query, headers, body, result, start);
            case MiddlewareResultKind.Redirect:
                _metrics.MiddlewareCompleted(result.Kind);
                return WriteRedirect(context, middleware, path, result, start);
            case MiddlewareResultKind.Respond when result.Response is { } response:
                _metrics.MiddlewareCompleted(result.Kind);
                if (response.Status >= StatusCodes.Status500InternalServerError)
                {
                    MiddlewareAnsweredServerError(context, middleware, path, response.Status);
                }

                return WriteResponse(context, middleware, path, response, start);
            default:
                // Counted as an error by MiddlewareFailed, not as the kind it claimed.
                return MiddlewareFailed(context, middleware, path, new InvalidOperationException($"The middleware returned a result of unknown kind {result.Kind}."), start);
        }
    }

    private Task Rewrite(
        HttpContext context,
        AppMiddleware middleware,
        string path,
        string query,
        RouteHeaders headers,
        ReadOnlyMemory<byte> body,
        MiddlewareResult result,
        long start)
    {
        var destination = result.Destination ?? string.Empty;
        var kind = MiddlewareRewrite.Resolve(destination, context.Request.Host.Value ?? string.Empty, out var targetPath, out var targetQuery, out var url);
        switch (kind)
        {
            // Only a path the router would accept from a client is routed: no redirecting a rewrite, no dot segments.
            case RewriteDestinationKind.SameHost when RequestPathNormalizer.Normalize(targetPath, out _) == PathNormalizationResult.Ok:
                var mergedQuery = MiddlewareRewrite.MergeQuery(query, targetQuery);
                return Route(context, targetPath, mergedQuery, MiddlewareRequestHeaders.Apply(headers, result.RequestHeaderChanges), body, start);

            case RewriteDestinationKind.OtherHost when url is not null:
                if (!middleware.Proxy.IsAllowed(url))
                {
                    MiddlewareProxyRefused(context, middleware, path, url.Authority);
                    return Answered(context, RouteResponseWriter.WriteEmpty(context, StatusCodes.Status502BadGateway), start, GatewayMetrics.MiddlewareRoute);
                }

                var target = string.Concat(url.Scheme, "://", url.Authority, targetPath, MiddlewareRewrite.MergeQuery(query, targetQuery));
                if (Uri.TryCreate(target, UriKind.Absolute, out var upstream))
                {
                    return Answered(
                        context,
                        ProxyAsync(context, middleware, path, upstream, MiddlewareRequestHeaders.Apply(headers, result.RequestHeaderChanges), body),
                        start,
                        GatewayMetrics.MiddlewareRoute);
                }

                break;
        }

        MiddlewareRewriteInvalid(context, middleware, path, destination);
        return Answered(context, RouteResponseWriter.WriteEmpty(context, StatusCodes.Status500InternalServerError), start, GatewayMetrics.MiddlewareRoute);
    }

    private Task WriteRedirect(HttpContext context, AppMiddleware middleware, string path, MiddlewareResult result, long start)
    {
        try
        {
            context.Response.Headers.Location = result.Destination;
        }
        catch (InvalidOperationException)
        {
            // Kestrel refuses a Location it cannot send (non-ASCII): the middleware's fault, answered as 500.
            MiddlewareRedirectInvalid(context, middleware, path);
            return Answered(context, RouteResponseWriter.WriteEmpty(context, StatusCodes.Status500InternalServerError), start, GatewayMetrics.MiddlewareRoute);
        }

        return Answered(context, RouteResponseWriter.WriteEmpty(context, result.Status), start, GatewayMetrics.MiddlewareRoute);
    }

    private Task WriteResponse(HttpContext context, AppMiddleware middleware, string path, RouteResponse response, long start)
    {
        try
        {
            return Answered(
                context, RouteResponseWriter.WriteAsync(context, response, omitBody: HttpMethods.IsHead(context.Request.Method)), start, GatewayMetrics.MiddlewareRoute);
        }
        catch (InvalidOperationException exception) when (!context.Response.HasStarted)
        {
            // A header Kestrel cannot send (non-ASCII, for one) in the middleware's response.
            MiddlewareThrew(context, middleware, path, exception);
            context.Response.Clear();
            return Answered(context, RouteResponseWriter.WriteEmpty(context, StatusCodes.Status500InternalServerError), start, GatewayMetrics.MiddlewareRoute);
        }
    }

    // The proxied request; a server error it ends in (the proxy's own 502/504, or the upstream's 5xx) is kept for the
    // dashboard once it has been answered.
    private async Task ProxyAsync(HttpContext context, AppMiddleware middleware, string path, Uri upstream, RouteHeaders headers, ReadOnlyMemory<byte> body)
    {
        await middleware.Proxy.ForwardAsync(context, upstream, headers, body).ConfigureAwait(false);
        if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError && !context.RequestAborted.IsCancellationRequested)
        {
            ProxiedServerError(context, middleware, path, upstream.Authority);
        }
    }

    private Task MiddlewareFailed(HttpContext context, AppMiddleware middleware, string path, Exception exception, long start)
    {
        // Logged with the middleware and the path; nothing of the exception goes into the response.
        MiddlewareThrew(context, middleware, path, exception);
        _metrics.MiddlewareFailed();
        return Answered(context, RouteResponseWriter.WriteEmpty(context, StatusCodes.Status500InternalServerError), start, GatewayMetrics.MiddlewareRoute);
    }
}
