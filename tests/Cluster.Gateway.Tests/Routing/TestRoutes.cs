using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Gateway.Tests.Routing;

/// <summary>Builds route definitions from bare patterns and formats params for compact assertions.</summary>
internal static class TestRoutes
{
    /// <summary>The snapshot of Next.js's <c>page-route-sorter.test.ts</c>, in its sorted order (spec §1.3).</summary>
    public static readonly string[] NextJsSortedSnapshot =
    [
        "/",
        "/apples/[ab]/[cd]/ef",
        "/blog/abc",
        "/blog/abc/post",
        "/blog/abc/[id]",
        "/blog/[id]",
        "/blog/[id]/comments/[cid]",
        "/foo/[d]/bar/baz/[f]",
        "/p/[...rest]",
        "/p1/[[...incl]]",
        "/p2/[id]",
        "/p2/[id]/abc",
        "/p2/[...rest]",
        "/p3/[id]",
        "/p3/[id]/abc",
        "/p3/[[...rest]]",
        "/posts",
        "/posts/[id]",
        "/[root-slug]",
        "/[...rest]",
    ];

    public static RouteDefinition Definition(string pattern) => new()
    {
        Pattern = pattern,
        SourceFile = "app" + pattern.TrimEnd('/') + "/route.cs",
        HandlerType = "Test.Route",
        Methods = RouteMethods.Get,
        CreateHandler = static _ => throw new InvalidOperationException("Routing tests never invoke a handler."),
    };

    public static RouteDefinition[] Definitions(params string[] patterns) =>
        Array.ConvertAll(patterns, Definition);

    /// <summary>
    /// Formats params as <c>id=123; slug=[a|b]</c>: an unescaped, order-preserving form, so a row reads like the
    /// Next.js params object it stands for (<c>{}</c> when empty).
    /// </summary>
    public static string Format(RouteParams parameters)
    {
        if (parameters.Count == 0)
        {
            return "{}";
        }

        return string.Join("; ", parameters.Select(static p => p.Value switch
        {
            string single => $"{p.Key}={single}",
            string[] many => $"{p.Key}=[{string.Join('|', many)}]",
            _ => $"{p.Key}=?",
        }));
    }
}
