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
}
