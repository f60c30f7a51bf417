using Cluster.Routing;

namespace EdgeApp;

/// <summary>Not cached (no opt-in): its tag reaches no owner, so revalidating the tag counts no route for it.</summary>
public static class RevalidationDynamicRoute
{
    private static int s_renders;

    public static RouteConfig Config { get; } = new() { Tags = ["revalidation-t1"] };

    public static RouteResponse GET() => RouteResponse.Text($"render {Interlocked.Increment(ref s_renders)}");
}
