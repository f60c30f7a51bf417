namespace Cluster.Routing.Hosting;

/// <summary>
/// A route file's handlers behind one call, emitted by the route generator for each route (no reflection at request time).
/// </summary>
public interface IRouteHandler
{
    /// <summary>
    /// Runs the handler for <paramref name="method"/>. Returns <c>null</c> when the handler returned null (the
    /// runtime answers 500). The method must be one the route implements (see <see cref="RouteDefinition.Methods"/>).
    /// </summary>
    ValueTask<RouteResponse?> InvokeAsync(RouteMethod method, RouteRequest request, RouteContext context);
}
