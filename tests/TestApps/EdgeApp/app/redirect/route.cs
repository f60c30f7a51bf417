using Cluster.Routing;

namespace EdgeApp;

public static class RedirectRoute
{
    public static RouteResponse GET(RouteRequest request) =>
        RouteResponse.Redirect("/params/1", request.Query.TryGetValue("status", out var s) ? int.Parse(s[0], System.Globalization.CultureInfo.InvariantCulture) : 307);
}
