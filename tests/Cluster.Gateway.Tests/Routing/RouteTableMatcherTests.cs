using Cluster.Grains.Matching;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Gateway.Tests.Routing;

/// <summary>The conformance suite on the gateway's trie matcher.</summary>
public sealed class RouteTableMatcherTests : RouteMatcherConformanceTests
{
    protected override (string Pattern, RouteParams Params)? Match(IReadOnlyList<RouteDefinition> routes, string path)
    {
        var table = RouteTable.Build(routes);
        if (!table.TryMatch(path, out var match))
        {
            return null;
        }

        return (match.Entry.Pattern.Text, RouteTable.GetParams(match, path));
    }
}
