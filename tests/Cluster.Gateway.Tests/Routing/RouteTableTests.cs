using Cluster.Grains.Matching;
using Cluster.Routing;

namespace Cluster.Gateway.Tests.Routing;

public sealed class RouteTableTests
{
    [Fact]
    public void Build_ShuffledSnapshot_ExposesRoutesInNextJsOrderWithStableIndexes()
    {
        // Arrange
        var shuffled = TestRoutes.NextJsSortedSnapshot.Reverse().ToArray();

        // Act
        var sut = RouteTable.Build(TestRoutes.Definitions(shuffled));

        // Assert
        Assert.Equal(TestRoutes.NextJsSortedSnapshot, sut.Routes.Select(static r => r.Pattern.Text));
        Assert.Equal(Enumerable.Range(0, sut.Routes.Count), sut.Routes.Select(static r => r.Index));
    }

    [Fact]
    public void Build_InvalidRoutes_ThrowsOneExceptionListingEveryError()
    {
        // Arrange
        var routes = TestRoutes.Definitions(
            "/ok",
            "/ok",
            "/x/[[id]]",
            "no-slash",
            "/blog/[id]",
            "/blog/[slug]/edit",
            "/p/[...a]",
            "/p/[[...b]]",
            "/opt",
            "/opt/[[...all]]",
            "/a/[...rest]/b",
            "/t/",
            "/u//v");

        // Act
        var exception = Assert.Throws<RouteTableException>(() => RouteTable.Build(routes));

        // Assert
        Assert.Equal(9, exception.Errors.Count);
        Assert.Contains(exception.Errors, static e => e.Contains("more than once", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, static e => e.Contains("Optional route parameters are not yet supported", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, static e => e.Contains("must start with '/'", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, static e => e.Contains("different slug names", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, static e => e.Contains("catch-all route at the same level", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, static e => e.Contains("same specificity", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, static e => e.Contains("Catch-all must be the last part of the URL", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, static e => e.Contains("must not end with '/'", StringComparison.Ordinal));
        Assert.Contains(exception.Errors, static e => e.Contains("empty segment", StringComparison.Ordinal));
        Assert.All(exception.Errors, e => Assert.Contains(e, exception.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/", "/[[...all]]")]
    [InlineData("/[id]", "/[id]/[[...rest]]")]
    public void Build_RouteWithSameSpecificityAsOptionalCatchAll_Throws(string route, string optionalCatchAll)
    {
        // Arrange
        var routes = TestRoutes.Definitions(route, optionalCatchAll);

        // Act
        var exception = Assert.Throws<RouteTableException>(() => RouteTable.Build(routes));

        // Assert
        Assert.Contains("same specificity", Assert.Single(exception.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/[a]/x", "/[b]/y")]
    [InlineData("/d/[...a]", "/d/[...b]")]
    [InlineData("/d/[[...a]]", "/d/[[...b]]")]
    public void Build_SiblingParamsWithDifferentNames_Throws(string first, string second)
    {
        // Arrange
        var routes = TestRoutes.Definitions(first, second);

        // Act
        var exception = Assert.Throws<RouteTableException>(() => RouteTable.Build(routes));

        // Assert
        Assert.Contains("different slug names", Assert.Single(exception.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Build_LegalSiblings_Succeeds()
    {
        // Arrange: static + dynamic siblings, [id] + [...rest] siblings, [id] subtree + optional catch-all (spec §1.2).
        var routes = TestRoutes.Definitions("/blog/abc", "/blog/[id]", "/p2/[id]", "/p2/[...rest]", "/p3/[id]", "/p3/[[...rest]]");

        // Act
        var sut = RouteTable.Build(routes);

        // Assert
        Assert.Equal(6, sut.Routes.Count);
    }

    [Fact]
    public void TryMatch_PathDeeperThanLimit_DynamicRoutesDoNotMatch()
    {
        // Arrange
        var sut = RouteTable.Build(TestRoutes.Definitions("/[...all]"));
        var atLimit = string.Concat(Enumerable.Repeat("/a", RouteTable.MaxSegments));
        var beyond = atLimit + "/a";

        // Act
        var matchedAtLimit = sut.TryMatch(atLimit, out _);
        var matchedBeyond = sut.TryMatch(beyond, out _);

        // Assert
        Assert.True(matchedAtLimit);
        Assert.False(matchedBeyond);
    }

    [Fact]
    public void TryMatch_DeepStaticRoute_MatchesBeyondSegmentLimit()
    {
        // Arrange
        var deep = string.Concat(Enumerable.Repeat("/a", RouteTable.MaxSegments + 10));
        var sut = RouteTable.Build(TestRoutes.Definitions(deep));

        // Act
        var matched = sut.TryMatch(deep, out var match);

        // Assert
        Assert.True(matched);
        Assert.Same(RouteParams.Empty, RouteTable.GetParams(match, deep));
    }

    [Theory]
    [InlineData("/posts")]
    [InlineData("/posts/1")]
    [InlineData("/p3/1/abc")]
    [InlineData("/nowhere/at/all")]
    public void TryMatch_SpanOfLargerBuffer_MatchesLikeString(string path)
    {
        // Arrange
        var sut = RouteTable.Build(TestRoutes.Definitions(TestRoutes.NextJsSortedSnapshot));
        var buffer = ("xx" + path + "?q=1").AsSpan(2, path.Length);

        // Act
        var fromString = sut.TryMatch(path, out var expected);
        var fromSpan = sut.TryMatch(buffer, out var actual);

        // Assert
        Assert.Equal(fromString, fromSpan);
        Assert.Same(expected.Entry, actual.Entry);
    }

    [Fact]
    public void TryMatch_NoMatch_ReturnsDefault()
    {
        // Arrange
        var sut = RouteTable.Build(TestRoutes.Definitions("/a"));

        // Act
        var matched = sut.TryMatch("/b", out var match);

        // Assert
        Assert.False(matched);
        Assert.False(match.Success);
    }

    [Fact]
    public void GetParams_DefaultMatch_ThrowsArgumentException()
    {
        // Arrange
        var match = default(RouteMatch);

        // Act + Assert
        Assert.Throws<ArgumentException>(() => RouteTable.GetParams(match, "/a"));
    }

    [Fact]
    public void GetParams_PathOfAnotherShape_ThrowsArgumentException()
    {
        // Arrange
        var sut = RouteTable.Build(TestRoutes.Definitions("/users/[id]"));
        Assert.True(sut.TryMatch("/users/1", out var match));

        // Act + Assert
        Assert.Throws<ArgumentException>(() => RouteTable.GetParams(match, "/users/1/2"));
    }

    [Fact]
    public void TryMatch_WarmedUpStaticAndDynamicMatches_AllocatesNothing()
    {
        // Arrange
        var sut = RouteTable.Build(TestRoutes.Definitions(TestRoutes.NextJsSortedSnapshot));
        string[] paths = ["/", "/blog/abc/post", "/blog/xyz/comments/7", "/blog/xyz/other", "/p3/1/abc", "/p2", "/a/b/c/d/e/f"];
        var matched = 0;
        foreach (var path in paths)
        {
            matched += sut.TryMatch(path, out _) ? 1 : 0;
        }

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            foreach (var path in paths)
            {
                matched += sut.TryMatch(path, out _) ? 1 : 0;
            }
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.Equal(0, allocated);
        Assert.Equal(paths.Length * 1_001, matched);
    }

    [Fact]
    public void TryMatch_WarmedUpDecodedStaticMatch_AllocatesNothing()
    {
        // Arrange
        var sut = RouteTable.Build(TestRoutes.Definitions("/caf\u00e9", "/[...rest]"));
        const string Path = "/caf%C3%A9";
        Assert.True(sut.TryMatch(Path, out _));

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1_000; i++)
        {
            sut.TryMatch(Path, out _);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        Assert.Equal(0, allocated);
    }
}
