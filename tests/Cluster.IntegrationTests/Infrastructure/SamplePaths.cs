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
}
