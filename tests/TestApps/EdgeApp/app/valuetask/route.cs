using Cluster.Routing;

namespace EdgeApp;

public static class ValueTaskRoute
{
    public static async ValueTask<RouteResponse> GET(RouteRequest request)
    {
        await Task.Yield();
        return RouteResponse.Text("value-task");
    }

    public static ValueTask<RouteResponse> PUT() => new(RouteResponse.Text("value-task-sync"));
}
