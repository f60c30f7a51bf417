using Cluster.Grains.Caching;
using Cluster.Routing;
using Cluster.Routing.Hosting;
using Cluster.Routing.Wire;
using Cluster.Runtime;
using Microsoft.Extensions.Logging;

namespace Cluster.Grains.Routing;

/// <summary>
/// Owns one route pattern (its grain key): builds the route's handler once on activation and runs it for every
/// request routed to the pattern. Reentrant because handlers are stateless app code and requests to one route must
/// run in parallel; the response cache of a later issue adds its own single-flight inside the grain.
/// Every failure becomes a response here (500 or 405) so the caller never sees an app exception.
/// <see cref="RouteWorkerGrain"/> runs the same code for routes that are stateless-worker pools.
/// </summary>
[Reentrant]
internal partial class RouteGrain : Grain, IGrainHandler<RouteInvocation, RouteReply>
{
    /// <summary>The grain type name of route grains.</summary>
    public const string GrainTypeName = "route";

    // Responses are immutable, so the error responses are shared.
    private static readonly RouteResponse s_methodNotAllowed = RouteResponse.Empty(405);
    private static readonly RouteResponse s_internalError = RouteResponse.Empty(500);

    private readonly IRouteCatalog _catalog;
    private readonly IRouteRevalidator _revalidator;
    private readonly StatelessWorkerRoutes _workers;
    private readonly IServiceProvider _services;
    private readonly ILogger _logger;
    private RouteDefinition? _route;
    private IRouteHandler? _handler;

    public RouteGrain(IRouteCatalog catalog, IRouteRevalidator revalidator, StatelessWorkerRoutes workers, IServiceProvider services, ILogger<RouteGrain> logger)
    {
        _catalog = catalog;
        _revalidator = revalidator;
        _workers = workers;
        _services = services;
        _logger = logger;
    }

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
    }
}
