using System.Globalization;
using Cluster.Routing;

namespace EdgeApp;

/// <summary>ISR route answering the status its param names (100–599), to show which statuses are cached.</summary>
public static class CacheStatusRoute
{
    public static RouteConfig Config { get; } = new() { Revalidate = 10 };

    public static RouteResponse GET(RouteRequest request, RouteContext context)
    {
        var code = context.Params["code"];
        var status = int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is >= 200 and <= 599 ? parsed : 400;
        return RouteResponse.Json(new { code, render = CacheProbes.Render("status/" + code) }, status);
    }
}
