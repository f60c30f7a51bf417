using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Benchmarks.Routing;

/// <summary>
/// A deterministic, realistic pages tree of exactly <see cref="RouteCount"/> routes that is legal under Next.js's
/// rules: a versioned REST API (static lists, <c>[id]</c> items, static actions under an item, nested params),
/// product docs with catch-alls, shop categories with optional catch-alls, a blog, user pages and many static
/// marketing pages; depths 1 to 6.
/// </summary>
internal static class RouteTreeGenerator
{
    public const int RouteCount = 1_000;

    private static readonly string[] s_resources =
    [
        "users", "orders", "products", "carts", "invoices", "payments", "shipments", "reviews", "categories",
        "coupons", "vendors", "warehouses", "returns", "subscriptions", "plans", "teams", "projects", "tasks",
        "comments", "tags", "notifications", "webhooks", "reports", "sessions", "files",
    ];

    private static readonly string[] s_sections =
        ["company", "legal", "help", "solutions", "customers", "partners", "events", "guides"];

    public static IReadOnlyList<string> Patterns()
    {
        var patterns = new List<string>(RouteCount) { "/" };
        foreach (var version in new[] { "v1", "v2" })
        {
            foreach (var resource in s_resources)
            {
                var list = $"/api/{version}/{resource}";
                patterns.Add(list);
                patterns.Add($"{list}/[id]");
                patterns.Add($"{list}/[id]/history");
                patterns.Add($"{list}/[id]/audit");
                patterns.Add($"{list}/[id]/export");
                patterns.Add($"{list}/[id]/items/[itemId]");
            }
        }

        for (var i = 0; i < 100; i++)
        {
            patterns.Add($"/docs/product-{i:000}");
            patterns.Add($"/docs/product-{i:000}/[...slug]");
            patterns.Add($"/shop/category-{i:000}/[[...filters]]");
        }

        patterns.AddRange(
        [
            "/blog",
            "/blog/[slug]",
            "/blog/[slug]/comments",
            "/blog/tags/[tag]",
            "/blog/authors/[author]/[[...page]]",
            "/u/[username]",
            "/u/[username]/[...path]",
        ]);

        var pagesPerSection = (RouteCount - patterns.Count) / s_sections.Length;
        foreach (var section in s_sections)
        {
            for (var j = 0; j < pagesPerSection; j++)
            {
                patterns.Add($"/{section}/page-{j:00}");
            }
        }

        for (var k = 0; patterns.Count < RouteCount; k++)
        {
            patterns.Add($"/misc/page-{k:00}");
        }

        return patterns;
    }

    public static IReadOnlyList<RouteDefinition> Definitions() =>
        [.. Patterns().Select(static pattern => new RouteDefinition
        {
            Pattern = pattern,
            SourceFile = "app" + pattern.TrimEnd('/') + "/route.cs",
            HandlerType = "Bench.Route",
            Methods = RouteMethods.Get,
            CreateHandler = static _ => throw new InvalidOperationException("Benchmarks never invoke a handler."),
        })];
}
