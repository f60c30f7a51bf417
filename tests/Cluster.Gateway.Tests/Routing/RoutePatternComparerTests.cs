using Cluster.Grains.Matching;

namespace Cluster.Gateway.Tests.Routing;

public sealed class RoutePatternComparerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(42)]
    [InlineData(2024)]
    public void Sort_ShuffledNextJsSnapshot_GivesSnapshotOrder(int seed)
    {
        // Arrange
        var patterns = TestRoutes.NextJsSortedSnapshot.Select(RoutePattern.Parse).ToArray();
        new Random(seed).Shuffle(patterns);

        // Act
        Array.Sort(patterns, RoutePatternComparer.Instance);

        // Assert
        Assert.Equal(TestRoutes.NextJsSortedSnapshot, patterns.Select(static p => p.Text));
    }

    [Theory]
    [InlineData("/a", "/[id]")]
    [InlineData("/[id]", "/[...rest]")]
    [InlineData("/[...rest]", "/[[...rest]]")]
    [InlineData("/zzz/deep/deeper", "/[id]")]
    [InlineData("/api", "/api/users")]
    [InlineData("/", "/a")]
    [InlineData("/api/users", "/api/[id]")]
    [InlineData("/Z", "/a")] // ordinal: upper case sorts before lower case
    [InlineData("/p", "/p1")]
    [InlineData("/p3", "/posts")]
    [InlineData("/a-b", "/a_b")]
    public void Compare_HigherPriorityFirst_IsNegative(string first, string second)
    {
        // Arrange
        var sut = RoutePatternComparer.Instance;
        var x = RoutePattern.Parse(first);
        var y = RoutePattern.Parse(second);

        // Act
        var forward = sut.Compare(x, y);
        var backward = sut.Compare(y, x);

        // Assert
        Assert.True(forward < 0, $"{first} should sort before {second}.");
        Assert.True(backward > 0, $"{second} should sort after {first}.");
    }

    [Fact]
    public void Compare_EqualPatterns_IsZero()
    {
        // Arrange
        var sut = RoutePatternComparer.Instance;

        // Act
        var result = sut.Compare(RoutePattern.Parse("/a/[b]"), RoutePattern.Parse("/a/[b]"));

        // Assert
        Assert.Equal(0, result);
    }
}
