using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Grains.Tests.TestInfrastructure;

/// <summary>A route handler whose behaviour is a delegate, standing in for the generator's dispatch.</summary>
public sealed class TestRouteHandler(Func<RouteMethod, RouteRequest, RouteContext, ValueTask<RouteResponse?>> invoke) : IRouteHandler
{
    public ValueTask<RouteResponse?> InvokeAsync(RouteMethod method, RouteRequest request, RouteContext context)
        => invoke(method, request, context);
}
