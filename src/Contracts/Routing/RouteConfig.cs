namespace Cluster.Routing;

/// <summary>
/// A route file's segment configuration: a public static <c>Config</c> property on the route class.
/// Carried with the route from build time; its caching behaviour is applied by the route grain.
/// </summary>
public sealed class RouteConfig
{
    /// <summary>The configuration of a route that declares none.</summary>
    public static RouteConfig Default { get; } = new();

    /// <summary>Next.js's <c>dynamic</c>. Default <see cref="DynamicMode.Auto"/>.</summary>
    public DynamicMode Dynamic { get; init; } = DynamicMode.Auto;

    /// <summary>
    /// Next.js's <c>revalidate</c>: <c>null</c> not set, <c>0</c> never cached, <c>n &gt; 0</c> cached and stale after
    /// <c>n</c> seconds. Negative values are rejected when the route table is built.
    /// </summary>
    public int? Revalidate { get; init; }

    /// <summary>Cache tags for <see cref="RouteContext.RevalidateTagAsync"/>. Default empty.</summary>
    public string[] Tags { get; init; } = [];

    /// <summary>With <c>GenerateStaticParams</c>: <c>false</c> answers 404 for params not listed. Default <c>true</c>.</summary>
    public bool DynamicParams { get; init; } = true;

    /// <summary>
    /// Runs the route as a stateless-worker pool: instead of one route grain in the cluster, every silo keeps up to one
    /// activation per processor core for it and the gateway spreads its requests over the silos. For a hot route whose
    /// handler owns no cache and keeps no state between requests. Such a route is never cached: combining it with
    /// caching (<see cref="Revalidate"/> above 0, <see cref="Dynamic"/> set to <see cref="DynamicMode.ForceStatic"/> or
    /// <see cref="DynamicMode.Error"/>, or a <c>GenerateStaticParams</c> method) stops the gateway and the silos at start-up with an error naming the route. The
    /// setting <c>Cluster:Routes:StatelessWorkers</c> marks routes the same way without a rebuild. Default <c>false</c>.
    /// </summary>
    public bool StatelessWorker { get; init; }
}
