using Cluster.Routing;

namespace EdgeApp;

public static class TaskRoute
{
    public static async Task<RouteResponse> GET()
    {
        await Task.Delay(1);
        return RouteResponse.Text("task");
    }
}
