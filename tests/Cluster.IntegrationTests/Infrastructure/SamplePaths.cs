namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>GET paths of the sample app that answer 200, each on a different route (so a different route grain).</summary>
internal static class SamplePaths
{
    public static readonly string[] Idempotent =
    [
        "/",
        "/about",
        "/robots.txt",
        "/sitemap.xml",
        "/api/products",
        "/api/products/1",
        "/api/docs/getting-started",
        "/shop",
        "/shop/shoes/red",
        "/api/deals/a",
        "/api/deals/b",
    ];

    /// <summary>The route pattern (the route grain's key) that serves <paramref name="path"/>, one of <see cref="Idempotent"/>.</summary>
    public static string PatternOf(string path) => path switch
    {
        "/api/products/1" => "/api/products/[id]",
        "/api/docs/getting-started" => "/api/docs/[...slug]",
        "/shop" or "/shop/shoes/red" => "/shop/[[...slug]]",
        _ => path,
    };
}
