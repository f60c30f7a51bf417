using System.Globalization;
using System.Text;
using Cluster.Grains.Caching;
using Cluster.Grains.Routing;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Gateway.Hosting;

/// <summary>
/// The route list a gateway prints at start-up, the way <c>next build</c> prints its routes: each pattern with the
/// methods its file implements and how its GET is served — static, ISR (with its revalidate time), or dynamic — so an
/// operator sees at a glance what the cluster caches.
/// </summary>
internal static class RouteTableSummary
{
    private static readonly (RouteMethods Method, string Name)[] s_methods =
    [
        (RouteMethods.Get, "GET"),
        (RouteMethods.Head, "HEAD"),
        (RouteMethods.Post, "POST"),
        (RouteMethods.Put, "PUT"),
        (RouteMethods.Patch, "PATCH"),
        (RouteMethods.Delete, "DELETE"),
        (RouteMethods.Options, "OPTIONS"),
    ];

    /// <summary>One line per route, sorted by pattern, under a header line.</summary>
    public static string Format(IEnumerable<RouteDefinition> routes, StatelessWorkerRoutes workers)
    {
        ArgumentNullException.ThrowIfNull(routes);
        ArgumentNullException.ThrowIfNull(workers);
        var rows = routes
            .OrderBy(static r => r.Pattern, StringComparer.Ordinal)
            .Select(r => (r.Pattern, Methods: Methods(r.Methods), Served: Served(r, workers)))
            .ToList();
        var patternWidth = Math.Max("Route".Length, rows.Count == 0 ? 0 : rows.Max(static r => r.Pattern.Length));
        var methodsWidth = Math.Max("Methods".Length, rows.Count == 0 ? 0 : rows.Max(static r => r.Methods.Length));

        var text = new StringBuilder();
        Append(text, "Route", patternWidth, "Methods", methodsWidth, "GET served");
        foreach (var (pattern, methods, served) in rows)
        {
            Append(text, pattern, patternWidth, methods, methodsWidth, served);
        }

        return text.ToString().TrimEnd('\n');
    }

    /// <summary>How a route's GET is served: <c>static</c>, <c>ISR, revalidate N s</c>, or <c>dynamic</c>.</summary>
    public static string Served(RouteDefinition route, StatelessWorkerRoutes workers)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(workers);
        if ((route.Methods & RouteMethods.Get) == 0)
        {
            return "-";
        }

        if (workers.Contains(route.Pattern))
        {
            return "dynamic, stateless worker";
        }

        if (!RouteCacheability.IsCacheable(route))
        {
            return "dynamic";
        }

        var served = route.Config.Revalidate is > 0 and var seconds
            ? string.Create(CultureInfo.InvariantCulture, $"ISR, revalidate {seconds} s")
            : "static";
        return route.GenerateStaticParams is null ? served : served + ", prerendered params";
    }

    private static string Methods(RouteMethods implemented)
        => string.Join(", ", s_methods.Where(m => (implemented & m.Method) != 0).Select(static m => m.Name));

    private static void Append(StringBuilder text, string pattern, int patternWidth, string methods, int methodsWidth, string served)
        => text.Append(pattern.PadRight(patternWidth)).Append("  ").Append(methods.PadRight(methodsWidth)).Append("  ").Append(served).Append('\n');
}
