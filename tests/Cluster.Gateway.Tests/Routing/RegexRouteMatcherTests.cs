using Cluster.Grains.Matching;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Gateway.Tests.Routing;

/// <summary>The conformance suite on the regex reference (a literal port of Next.js), which keeps the rows honest.</summary>
public sealed class RegexRouteMatcherTests : RouteMatcherConformanceTests
{
    protected override (string Pattern, RouteParams Params)? Match(IReadOnlyList<RouteDefinition> routes, string path)
    {
        var sut = new RegexRouteMatcher(RouteTable.Build(routes));
        if (!sut.TryMatch(path, out var entry))
        {
            return null;
        }

        return (entry.Pattern.Text, sut.GetParams(entry, path));
    }
}
