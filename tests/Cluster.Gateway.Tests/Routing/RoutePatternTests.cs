using Cluster.Grains.Matching;

namespace Cluster.Gateway.Tests.Routing;

public sealed class RoutePatternTests
{
    [Fact]
    public void Parse_Root_HasNoSegments()
    {
        // Act
        var sut = RoutePattern.Parse("/");

        // Assert
        Assert.Empty(sut.Segments);
        Assert.True(sut.IsStatic);
    }

    [Fact]
    public void Parse_EveryKind_KeepsKindsAndNamesExactly()
    {
        // Act
        var sut = RoutePattern.Parse("/api/[foo-bar]/x.json/[[...rest_1]]");

        // Assert
        Assert.Equal(
            [
                new RouteSegment(RouteSegmentKind.Static, "api"),
                new RouteSegment(RouteSegmentKind.Param, "foo-bar"),
                new RouteSegment(RouteSegmentKind.Static, "x.json"),
                new RouteSegment(RouteSegmentKind.OptionalCatchAll, "rest_1"),
            ],
            sut.Segments.ToArray());
        Assert.Equal(["foo-bar", "rest_1"], sut.ParameterNames.ToArray());
        Assert.False(sut.IsStatic);
    }

    [Fact]
    public void Parse_CatchAll_IsCatchAllKind()
    {
        // Act
        var sut = RoutePattern.Parse("/docs/[...slug]");

        // Assert
        Assert.Equal(new RouteSegment(RouteSegmentKind.CatchAll, "slug"), sut.Segments[^1]);
        Assert.Equal("[...slug]", sut.Segments[^1].ToString());
    }

    [Theory]
    [InlineData("", "must not be empty")]
    [InlineData("api", "must start with '/'")]
    [InlineData("/api/", "must not end with '/'")]
    [InlineData("/a//b", "empty segment")]
    [InlineData("/[[id]]", "Optional route parameters are not yet supported")]
    [InlineData("/[....id]", "erroneous periods ('.id')")]
    [InlineData("/[..id]", "erroneous periods ('..id')")]
    [InlineData("/[[...id]", "extra brackets ('[...id')")]
    [InlineData("/[...id]]", "extra brackets ('id]')")]
    [InlineData("/[[[...id]]]", "extra brackets ('[...id]')")]
    [InlineData("/[\u2026id]", "three-dot character")]
    [InlineData("/[]", "empty param name")]
    [InlineData("/[...]", "empty param name")]
    [InlineData("/a[b]", "'[' or ']'")]
    [InlineData("/[id", "'[' or ']'")]
    [InlineData("/blog/[...id]/abc", "Catch-all must be the last part of the URL")]
    [InlineData("/blog/[...a]/[...b]", "Catch-all must be the last part of the URL")]
    [InlineData("/blog/[id]/comments/[id]", "same slug name \"id\" repeat")]
    [InlineData("/blog/[id]/[...id]", "same slug name \"id\" repeat")]
    [InlineData("/[helloworld]/[hello-world]", "differ only by non-word symbols")]
    [InlineData("/a/../b", "dot segment")]
    [InlineData("/a/./b", "dot segment")]
    [InlineData("/a\tb", "control character")]
    public void Parse_MalformedPattern_ThrowsFormatExceptionSayingWhy(string pattern, string expectedReason)
    {
        // Act
        var exception = Assert.Throws<FormatException>(() => RoutePattern.Parse(pattern));

        // Assert
        Assert.Contains(expectedReason, exception.Message, StringComparison.Ordinal);
    }
}
