using Cluster.Gateway.Dispatch;
using Cluster.Gateway.Hosting;
using Cluster.Gateway.Routing;
using Cluster.Routing;
using Cluster.Routing.Wire;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Cluster.Gateway.Pipeline;

/// <summary>
/// The gateway's request path, in Next.js's order: normalise the raw path (308 for repeated or trailing slashes, 400
/// for bad encoding or dot segments, 414 for an over-long target), resolve the route (static, then dynamic, else 404),
/// apply the method rules (400/405/HEAD/OPTIONS), read the body within its limit (413), dispatch to the route's grain
/// and write what it answered.
/// </summary>
internal sealed partial class GatewayRequestHandler
{
    private readonly RouteTable _routes;
    private readonly string[] _allowByRoute;
    private readonly IRouteDispatcher _dispatcher;
    private readonly GatewayOptions _options;
    private readonly ILogger<GatewayRequestHandler> _logger;

    public GatewayRequestHandler(RouteTable routes, IRouteDispatcher dispatcher, IOptions<GatewayOptions> options, ILogger<GatewayRequestHandler> logger)
    {
        _routes = routes;
        _dispatcher = dispatcher;
        _options = options.Value;
        _logger = logger;
        _allowByRoute = new string[routes.Routes.Count];
        foreach (var route in routes.Routes)
        {
            _allowByRoute[route.Index] = RouteMethodGate.FormatAllow(route.Definition.Methods);
        }
    }

    public Task InvokeAsync(HttpContext context)
    {
        var target = context.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        if (target.Length > _options.MaxUrlLength)
        {
            Log.PathRejected(_logger, StatusCodes.Status414UriTooLong);
            return RouteResponseWriter.WriteEmpty(context, StatusCodes.Status414UriTooLong);
        }

        if (!RequestTarget.TrySplit(target, out var path, out var query))
        {
            Log.PathRejected(_logger, StatusCodes.Status400BadRequest);
            return RouteResponseWriter.WriteEmpty(context, StatusCodes.Status400BadRequest);
        }

        switch (RequestPathNormalizer.Normalize(path, out var normalized))
        {
            case PathNormalizationResult.Redirect:
                Log.PathRedirected(_logger, path, normalized);
                return RouteResponseWriter.WriteRedirect(context, normalized + query);
            case PathNormalizationResult.BadRequest:
                Log.PathRejected(_logger, StatusCodes.Status400BadRequest);
                return RouteResponseWriter.WriteEmpty(context, StatusCodes.Status400BadRequest);
        }

        if (!_routes.TryMatch(path, out var match))
        {
            Log.RouteNotFound(_logger, path);
            context.Response.Headers.CacheControl = "no-cache, no-store, max-age=0, must-revalidate";
            return RouteResponseWriter.WriteEmpty(context, StatusCodes.Status404NotFound);
        }

        var route = match.Entry;
        if (!RouteMethodGate.TryParse(context.Request.Method, out var method))
        {
            Log.MethodRejected(_logger, context.Request.Method, route.Definition.Pattern, StatusCodes.Status400BadRequest);
            return RouteResponseWriter.WriteEmpty(context, StatusCodes.Status400BadRequest);
        }

        if (RouteMethodGate.SelectHandler(method, route.Definition.Methods) is not { } handler)
        {
            var allow = _allowByRoute[route.Index];
            if (method == RouteMethod.Options)
            {
                return RouteResponseWriter.WriteEmpty(context, StatusCodes.Status204NoContent, allow);
            }

            Log.MethodRejected(_logger, context.Request.Method, route.Definition.Pattern, StatusCodes.Status405MethodNotAllowed);
            return RouteResponseWriter.WriteEmpty(context, StatusCodes.Status405MethodNotAllowed, allow);
        }

        var @params = RouteTable.GetParams(match, path);
        return DispatchAsync(context, route.Definition.Pattern, handler, path, query, @params);
    }

    private async Task DispatchAsync(HttpContext context, string pattern, RouteMethod handler, string path, string query, RouteParams @params)
    {
        var (status, body) = await RequestBodyReader.ReadAsync(context, _options.MaxRequestBodySize).ConfigureAwait(false);
        if (status == BodyReadStatus.TooLarge)
        {
            Log.RequestBodyTooLarge(_logger, pattern, _options.MaxRequestBodySize);
            context.Response.Headers.Connection = "close";
            await RouteResponseWriter.WriteEmpty(context, StatusCodes.Status413PayloadTooLarge).ConfigureAwait(false);
            return;
        }

        if (status == BodyReadStatus.ClientAborted)
        {
            Log.ClientAborted(_logger, pattern);
            context.Abort();
            return;
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
            Headers = RequestHeaderReader.Read(request.Headers),
            Body = body,
            Params = @params,
        };

        RouteResponse response;
        try
        {
            response = await _dispatcher.DispatchAsync(invocation, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            var error = DispatchErrors.Classify(exception, context.RequestAborted);
            switch (error)
            {
                case DispatchError.ClientAborted:
                    Log.ClientAborted(_logger, pattern);
                    return;
                case DispatchError.SiloUnavailable:
                    Log.SiloUnavailable(_logger, pattern, exception.Message);
                    break;
                case DispatchError.TimedOut:
                    Log.DispatchTimedOut(_logger, pattern);
                    break;
                default:
                    Log.DispatchFailed(_logger, pattern, exception);
                    break;
            }

            await RouteResponseWriter.WriteEmpty(context, DispatchErrors.ToStatusCode(error)).ConfigureAwait(false);
            return;
        }

        try
        {
            await RouteResponseWriter.WriteAsync(context, response, omitBody: HttpMethods.IsHead(request.Method)).ConfigureAwait(false);
        }
        catch (InvalidOperationException exception) when (!context.Response.HasStarted)
        {
            // Kestrel refuses header values it cannot send (non-ASCII, for one): the handler's fault, answered as 500.
            Log.ResponseWriteFailed(_logger, pattern, exception);
            context.Response.Clear();
            await RouteResponseWriter.WriteEmpty(context, StatusCodes.Status500InternalServerError).ConfigureAwait(false);
        }
    }
}
