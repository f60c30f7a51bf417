using Cluster.Routing;

namespace EdgeApp;

/// <summary>
/// ISR with a revalidate time no test reaches, one cached entry per id: the body carries the id and a render count, so a
/// test sees which paths a revalidation dropped. Tagged for the revalidation tests.
/// </summary>
public static class RevalidationIsrRoute
{
    private static int s_renders;

    public static RouteConfig Config { get; } = new() { Revalidate = 3600, Tags = ["revalidation-t2", "revalidation-all"] };

    public static RouteResponse GET(RouteRequest request, RouteContext context)
        => RouteResponse.Json(new { id = context.Params["id"], render = Interlocked.Increment(ref s_renders) });
}
