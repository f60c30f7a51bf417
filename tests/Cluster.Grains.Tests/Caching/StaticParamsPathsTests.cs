using Cluster.Grains.Caching;
using Cluster.Grains.Matching;
using Cluster.Grains.Tests.Wire;
using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Grains.Tests.Caching;

public sealed class StaticParamsPathsTests
{
    // pattern, params, the path Build gives; routing that path must give back the pattern and the params.
    public static TheoryData<string, RouteParams, string> RoundTrips => new()
    {
        { "/blog/[slug]", RouteParams.Of(("slug", "hello")), "/blog/hello" },
        { "/blog/[slug]", RouteParams.Of(("slug", "hello world")), "/blog/hello%20world" },
        { "/blog/[slug]", RouteParams.Of(("slug", "a/b")), "/blog/a%2Fb" },
        { "/blog/[slug]", RouteParams.Of(("slug", "héllo")), "/blog/h%C3%A9llo" },
        { "/blog/[slug]", RouteParams.Of(("slug", "😀")), "/blog/%F0%9F%98%80" },
        { "/blog/[slug]", RouteParams.Of(("slug", "100%?#&=+")), "/blog/100%25%3F%23%26%3D%2B" },
        { "/users/[id]/posts/[post]", RouteParams.Of(("id", "7"), ("post", "x y")), "/users/7/posts/x%20y" },
        { "/docs/[...slug]", RouteParams.Of(("slug", new[] { "a" })), "/docs/a" },
        { "/docs/[...slug]", RouteParams.Of(("slug", new[] { "a", "b c", "d/e", "é" })), "/docs/a/b%20c/d%2Fe/%C3%A9" },
        { "/shop/[[...slug]]", RouteParams.Of(("slug", new[] { "x", "y" })), "/shop/x/y" },
        { "/[[...all]]", RouteParams.Of(("all", new[] { "a b" })), "/a%20b" },
    };

    // An empty optional catch-all drops its segment and is absent from the routed params.
    public static TheoryData<string, RouteParams, string> EmptyOptionalCatchAlls => new()
    {
        { "/shop/[[...slug]]", RouteParams.Empty, "/shop" },
        { "/shop/[[...slug]]", RouteParams.Of(("slug", Array.Empty<string>())), "/shop" },
        { "/[[...all]]", RouteParams.Empty, "/" },
        { "/[[...all]]", RouteParams.Of(("all", Array.Empty<string>())), "/" },
    };

    public static TheoryData<string, RouteParams, string> Invalid => new()
    {
        { "/blog/[slug]", RouteParams.Empty, "'slug' is missing" },
        { "/blog/[slug]", RouteParams.Of(("other", "x")), "'slug' is missing" },
        { "/blog/[slug]", RouteParams.Of(("slug", new[] { "a" })), "takes a string" },
        { "/blog/[slug]", RouteParams.Of(("slug", "")), "is empty" },
        { "/blog/[slug]", RouteParams.Of(("slug", "..")), "does not route" },
        { "/blog/[slug]", RouteParams.Of(("slug", ".")), "does not route" },
        { "/blog/[slug]", RouteParams.Of(("slug", "a\u0001b")), "does not route" },
        { "/docs/[...slug]", RouteParams.Empty, "'slug' is missing" },
        { "/docs/[...slug]", RouteParams.Of(("slug", "a")), "takes a string array" },
        { "/docs/[...slug]", RouteParams.Of(("slug", Array.Empty<string>())), "no segment" },
        { "/docs/[...slug]", RouteParams.Of(("slug", new[] { "a", "" })), "empty segment" },
        { "/shop/[[...slug]]", RouteParams.Of(("slug", "a")), "takes a string array" },
        { "/shop/[[...slug]]", RouteParams.Of(("slug", new[] { "..", "a" })), "does not route" },
        { "/bad/[slug", RouteParams.Of(("slug", "a")), "bad/[slug" },
    };

    [Theory]
    [MemberData(nameof(RoundTrips))]
    public void Build_Params_GivesThePathThatRoutesBackToThePatternAndParams(string pattern, RouteParams routeParams, string expectedPath)
    {
        var path = StaticParamsPaths.Build(pattern, routeParams);

        Assert.Equal(expectedPath, path, StringComparer.Ordinal);
        var (matched, routed) = Route(pattern, path);
        Assert.Equal(pattern, matched, StringComparer.Ordinal);
        WireSamples.AssertEqual(routeParams, routed);
    }

    [Theory]
    [MemberData(nameof(RoundTrips))]
    [MemberData(nameof(EmptyOptionalCatchAlls))]
    public void TryBuild_Params_RoutedParamsAreWhatTheRouterDecodes(string pattern, RouteParams routeParams, string expectedPath)
    {
        Assert.True(StaticParamsPaths.TryBuild(pattern, routeParams, out var path, out var routed, out var error), error);

        Assert.Equal(expectedPath, path, StringComparer.Ordinal);
        var (matched, fromRouter) = Route(pattern, path);
        Assert.Equal(pattern, matched, StringComparer.Ordinal);
        WireSamples.AssertEqual(fromRouter, routed);
    }

    [Theory]
    [MemberData(nameof(EmptyOptionalCatchAlls))]
    public void Build_EmptyOptionalCatchAll_DropsItsSegmentAndTheParamIsAbsent(string pattern, RouteParams routeParams, string expectedPath)
    {
        var path = StaticParamsPaths.Build(pattern, routeParams);

        Assert.Equal(expectedPath, path, StringComparer.Ordinal);
        var (matched, routed) = Route(pattern, path);
        Assert.Equal(pattern, matched, StringComparer.Ordinal);
        Assert.Empty(routed);
    }

    [Fact]
    public void TryBuild_ParamsThePatternLacks_AreLeftOutOfTheRoutedParams()
    {
        Assert.True(StaticParamsPaths.TryBuild("/blog/[slug]", RouteParams.Of(("extra", "1"), ("slug", "a")), out var path, out var routed, out _));

        Assert.Equal("/blog/a", path);
        Assert.Equal(["slug"], routed.Names);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Build_InvalidParams_ThrowsNamingWhy(string pattern, RouteParams routeParams, string reason)
    {
        var error = Assert.Throws<ArgumentException>(() => StaticParamsPaths.Build(pattern, routeParams));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.False(StaticParamsPaths.TryBuild(pattern, routeParams, out var path, out var routed, out var message));
        Assert.Null(path);
        Assert.Null(routed);
        Assert.Contains(reason, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_StaticPattern_IsThePattern()
    {
        Assert.Equal("/about/team", StaticParamsPaths.Build("/about/team", RouteParams.Empty));
        Assert.Equal("/", StaticParamsPaths.Build("/", RouteParams.Empty));
    }

    private static (string Pattern, RouteParams Params) Route(string pattern, string path)
    {
        // Beside a few neighbours, so the match is not the only route's by default.
        string[] patterns = ["/blog", "/blog/new", "/docs", "/users/[id]", pattern];
        var definitions = patterns.Distinct(StringComparer.Ordinal)
            .Where(p => p == pattern || !Collides(p, pattern))
            .Select(static p => new RouteDefinition
            {
                Pattern = p,
                SourceFile = $"app{p}/route.cs",
                HandlerType = "TestApp.Route",
                Methods = RouteMethods.Get,
                CreateHandler = static _ => throw new NotSupportedException(),
            })
            .ToArray();
        var table = RouteTable.Build(definitions);

        Assert.True(table.TryMatch(path, out var match), $"'{path}' matches no route.");
        return (match.Entry.Pattern.Text, RouteTable.GetParams(match, path));
    }

    // "/blog" beside "/blog/[[...x]]" would have the same specificity; "/users/[id]" beside "/users/[id]/posts/[post]"
    // is fine, but a different slug name at the same level is not.
    private static bool Collides(string neighbour, string pattern)
        => (pattern.EndsWith("]]", StringComparison.Ordinal) && string.Equals(neighbour, pattern[..pattern.LastIndexOf('/')], StringComparison.Ordinal))
            || (neighbour.StartsWith("/users/", StringComparison.Ordinal) && pattern.StartsWith("/users/", StringComparison.Ordinal) && !pattern.StartsWith("/users/[id]", StringComparison.Ordinal));
}
