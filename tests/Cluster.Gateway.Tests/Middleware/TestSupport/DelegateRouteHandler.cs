using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Gateway.Tests.Middleware.TestSupport;

/// <summary>A route handler that runs a delegate for every method.</summary>
public sealed class DelegateRouteHandler(Func<RouteRequest, RouteContext, ValueTask<RouteResponse?>> handle) : IRouteHandler
{
    public ValueTask<RouteResponse?> InvokeAsync(RouteMethod method, RouteRequest request, RouteContext context) => handle(request, context);
}
