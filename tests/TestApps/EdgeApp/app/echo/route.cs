using Cluster.Routing;

namespace EdgeApp;

/// <summary>Echoes what a handler sees of the request.</summary>
public static class EchoRoute
{
    public static async Task<RouteResponse> POST(RouteRequest request) => RouteResponse.Json(await DescribeAsync(request));

    public static async Task<RouteResponse> DELETE(RouteRequest request) => RouteResponse.Json(await DescribeAsync(request));

    public static async Task<RouteResponse> GET(RouteRequest request) => RouteResponse.Json(await DescribeAsync(request));

    private static async Task<object> DescribeAsync(RouteRequest request) => new
    {
        method = request.Method,
        url = request.Url.ToString(),
        path = request.Path,
        query = request.Query,
        cookies = request.Cookies,
        agent = request.Headers["user-agent"],
        missing = request.Headers["x-not-sent"],
        custom = request.Headers["x-custom"],
        body = await request.ReadTextAsync(),
    };
}
