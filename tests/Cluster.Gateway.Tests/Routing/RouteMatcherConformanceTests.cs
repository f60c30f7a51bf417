using Cluster.Routing;
using Cluster.Routing.Hosting;

namespace Cluster.Gateway.Tests.Routing;

/// <summary>
/// Next.js's routing rules (spec §1.3–§1.6), one table per rule. Every matcher inherits this class, so the trie and
/// the regex reference (a literal port of Next.js) must agree row for row.
/// </summary>
public abstract class RouteMatcherConformanceTests
{
    private static readonly RouteDefinition[] s_snapshotRoutes = TestRoutes.Definitions(TestRoutes.NextJsSortedSnapshot);

    private static readonly RouteDefinition[] s_apiRoutes = TestRoutes.Definitions(
        "/",
        "/about",
        "/api",
        "/api/users",
        "/api/users/[id]",
        "/api/users/[id]/posts/[postId]",
        "/items/[foo-bar]",
        "/docs/[...slug]",
        "/shop/[[...slug]]",
        "/files/[name]/raw",
        "/caf\u00e9",
        "/caf\u00e9/[id]",
        "/a%20b",
        "/a b",
        "/a c",
        "/robots.txt",
        "/deep/a/b/c/d/e",
        "/deep/[x]/b/c/d/e",
        "/deep/[x]/[...rest]");

    /// <summary>Matches <paramref name="path"/>; <see langword="null"/> for a 404.</summary>
    protected abstract (string Pattern, RouteParams Params)? Match(IReadOnlyList<RouteDefinition> routes, string path);

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/apples/1/2/ef", "/apples/[ab]/[cd]/ef")]
    [InlineData("/blog/abc", "/blog/abc")]
    [InlineData("/blog/abc/post", "/blog/abc/post")]
    [InlineData("/blog/abc/other", "/blog/abc/[id]")]
    [InlineData("/blog/xyz", "/blog/[id]")]
    [InlineData("/blog/xyz/comments/7", "/blog/[id]/comments/[cid]")]
    [InlineData("/blog/xyz/other", "/[...rest]")]
    [InlineData("/blog/abc/post/more", "/[...rest]")]
    [InlineData("/foo/1/bar/baz/2", "/foo/[d]/bar/baz/[f]")]
    [InlineData("/foo/1/bar/baz", "/[...rest]")]
    [InlineData("/p", "/[root-slug]")]
    [InlineData("/p/a/b", "/p/[...rest]")]
    [InlineData("/p1", "/p1/[[...incl]]")]
    [InlineData("/p1/a/b", "/p1/[[...incl]]")]
    [InlineData("/p2", "/[root-slug]")]
    [InlineData("/p2/1", "/p2/[id]")]
    [InlineData("/p2/1/abc", "/p2/[id]/abc")]
    [InlineData("/p2/1/xyz", "/p2/[...rest]")]
    [InlineData("/p3", "/p3/[[...rest]]")]
    [InlineData("/p3/1", "/p3/[id]")]
    [InlineData("/p3/1/abc", "/p3/[id]/abc")]
    [InlineData("/p3/1/xyz", "/p3/[[...rest]]")]
    [InlineData("/posts", "/posts")]
    [InlineData("/posts/1", "/posts/[id]")]
    [InlineData("/posts/1/2", "/[...rest]")]
    [InlineData("/anything", "/[root-slug]")]
    [InlineData("/any/thing/at/all", "/[...rest]")]
    public void Match_NextJsSnapshotTree_ServesFirstRouteInSortedOrder(string path, string expectedPattern)
    {
        // Act
        var result = Match(s_snapshotRoutes, path);

        // Assert
        Assert.NotNull(result);
        Assert.Equal(expectedPattern, result.Value.Pattern);
    }

    [Theory]
    [InlineData("/api", "/api")]
    [InlineData("/api/users", "/api/users")]
    [InlineData("/api/users/1", "/api/users/[id]")]
    [InlineData("/deep/a/b/c/d/e", "/deep/a/b/c/d/e")]
    [InlineData("/deep/z/b/c/d/e", "/deep/[x]/b/c/d/e")]
    [InlineData("/deep/a/b/c/d/x", "/deep/[x]/[...rest]")]
    [InlineData("/robots.txt", "/robots.txt")]
    public void Match_StaticAndDynamicCandidates_StaticWinsWhateverTheDepth(string path, string expectedPattern)
    {
        // Act
        var result = Match(s_apiRoutes, path);

        // Assert
        Assert.NotNull(result);
        Assert.Equal(expectedPattern, result.Value.Pattern);
    }

    [Theory]
    [InlineData("/caf%C3%A9", "/caf\u00e9")]
    [InlineData("/caf%c3%a9", "/caf\u00e9")]
    [InlineData("/caf\u00e9", "/caf\u00e9")]
    [InlineData("/a%20b", "/a%20b")] // the raw lookup comes first
    [InlineData("/a%20c", "/a c")] // then the decoded one
    [InlineData("/%61bout", "/about")]
    public void Match_StaticRoute_LooksUpRawPathThenDecodedPath(string path, string expectedPattern)
    {
        // Act
        var result = Match(s_apiRoutes, path);

        // Assert
        Assert.NotNull(result);
        Assert.Equal(expectedPattern, result.Value.Pattern);
    }

    [Theory]
    [InlineData("/caf%C3%A9/1")] // static segments of dynamic routes compare against the raw segment, as Next's regex does
    [InlineData("/%61pi/users/1")]
    public void Match_EncodedStaticSegmentOfDynamicRoute_DoesNotMatch(string path)
    {
        // Act
        var result = Match(s_apiRoutes, path);

        // Assert
        Assert.Null(result);
    }

    [Theory]
    [InlineData("/About")]
    [InlineData("/ABOUT")]
    [InlineData("/API/users/1")]
    [InlineData("/api/Users/1")]
    [InlineData("/Docs/a")]
    [InlineData("/CAF%C3%A9")]
    public void Match_DifferentCase_ReturnsNotFound(string path)
    {
        // Act
        var result = Match(s_apiRoutes, path);

        // Assert
        Assert.Null(result);
    }

    [Theory]
    [InlineData("/", "/", "{}")]
    [InlineData("/about", "/about", "{}")]
    [InlineData("/api/users/123", "/api/users/[id]", "id=123")]
    [InlineData("/api/users/7/posts/9", "/api/users/[id]/posts/[postId]", "id=7; postId=9")]
    [InlineData("/items/x", "/items/[foo-bar]", "foo-bar=x")]
    [InlineData("/api/users/a%20b", "/api/users/[id]", "id=a b")]
    [InlineData("/api/users/100%25", "/api/users/[id]", "id=100%")]
    [InlineData("/api/users/a%2Fb", "/api/users/[id]", "id=a/b")]
    [InlineData("/api/users/caf%C3%A9", "/api/users/[id]", "id=caf\u00e9")]
    [InlineData("/api/users/%E2%9C%93", "/api/users/[id]", "id=\u2713")]
    [InlineData("/api/users/%F0%9F%98%80", "/api/users/[id]", "id=\U0001F600")]
    [InlineData("/api/users/\u00e9t\u00e9", "/api/users/[id]", "id=\u00e9t\u00e9")]
    [InlineData("/docs/a", "/docs/[...slug]", "slug=[a]")]
    [InlineData("/docs/a/b/c", "/docs/[...slug]", "slug=[a|b|c]")]
    [InlineData("/docs/a%2Fb/c", "/docs/[...slug]", "slug=[a/b|c]")]
    [InlineData("/docs/%E6%97%A5%E6%9C%AC/x%20y", "/docs/[...slug]", "slug=[\u65e5\u672c|x y]")]
    [InlineData("/shop", "/shop/[[...slug]]", "{}")]
    [InlineData("/shop/x", "/shop/[[...slug]]", "slug=[x]")]
    [InlineData("/shop/x/y", "/shop/[[...slug]]", "slug=[x|y]")]
    [InlineData("/files/report.pdf/raw", "/files/[name]/raw", "name=report.pdf")]
    [InlineData("/deep/q/r", "/deep/[x]/[...rest]", "x=q; rest=[r]")]
    public void Match_DynamicRoute_DecodesParamsPerSegmentWithNextJsShapes(string path, string expectedPattern, string expectedParams)
    {
        // Act
        var result = Match(s_apiRoutes, path);

        // Assert
        Assert.NotNull(result);
        Assert.Equal(expectedPattern, result.Value.Pattern);
        Assert.Equal(expectedParams, TestRoutes.Format(result.Value.Params));
    }

    [Fact]
    public void Match_SingleSegmentCatchAll_GivesArray()
    {
        // Act
        var result = Match(s_apiRoutes, "/docs/only");

        // Assert
        Assert.NotNull(result);
        Assert.True(result.Value.Params.TryGetRaw("slug", out var raw));
        Assert.Equal(["only"], Assert.IsType<string[]>(raw));
    }

    [Fact]
    public void Match_EmptyOptionalCatchAll_ParamIsAbsent()
    {
        // Act
        var result = Match(s_apiRoutes, "/shop");

        // Assert
        Assert.NotNull(result);
        Assert.False(result.Value.Params.ContainsKey("slug"));
        Assert.Empty(result.Value.Params);
    }

    [Theory]
    [InlineData("/nothing")]
    [InlineData("/api/users/1/extra")]
    [InlineData("/api/users/1/posts")]
    [InlineData("/docs")] // a required catch-all needs at least one segment
    [InlineData("/items")]
    [InlineData("/items/a/b")]
    [InlineData("/files/x")]
    [InlineData("/files/x/raw/more")]
    [InlineData("/abou")]
    [InlineData("/about/more")]
    public void Match_NoRouteFits_ReturnsNotFound(string path)
    {
        // Act
        var result = Match(s_apiRoutes, path);

        // Assert
        Assert.Null(result);
    }

    [Fact]
    public void Match_EmptyTable_ReturnsNotFound()
    {
        // Act
        var result = Match([], "/");

        // Assert
        Assert.Null(result);
    }

    [Fact]
    public void Match_RootOptionalCatchAll_ServesRootAndEverything()
    {
        // Arrange
        var routes = TestRoutes.Definitions("/[[...all]]", "/about");

        // Act
        var root = Match(routes, "/");
        var deep = Match(routes, "/x/y");
        var about = Match(routes, "/about");

        // Assert
        Assert.Equal(("/[[...all]]", "{}"), (root?.Pattern, root is { } r ? TestRoutes.Format(r.Params) : null));
        Assert.Equal(("/[[...all]]", "all=[x|y]"), (deep?.Pattern, deep is { } d ? TestRoutes.Format(d.Params) : null));
        Assert.Equal("/about", about?.Pattern);
    }
}
