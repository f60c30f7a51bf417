using Cluster.Routing;

namespace EdgeApp;

/// <summary>
/// Cached forever (force-static) until revalidated: its body carries a render count, so a test sees whether a response
/// came from the cache (same count) or from a new render (a higher one). Tagged for the revalidation tests.
/// </summary>
public static class RevalidationStaticRoute
{
    private static int s_renders;

    public static RouteConfig Config { get; } = new() { Dynamic = DynamicMode.ForceStatic, Tags = ["revalidation-t1", "revalidation-all"] };

    public static RouteResponse GET() => RouteResponse.Text($"render {Interlocked.Increment(ref s_renders)}");
}
