using Cluster.Gateway.Pipeline;

namespace Cluster.Gateway.Tests.Pipeline;

public sealed class RequestTargetTests
{
    [Theory]
    [InlineData("/", "/", "")]
    [InlineData("/a/b", "/a/b", "")]
    [InlineData("/a/b?x=1&y=2", "/a/b", "?x=1&y=2")]
    [InlineData("/a?", "/a", "")]
    [InlineData("/a%2Fb?q=%20", "/a%2Fb", "?q=%20")]
    [InlineData("http://host:5000/a/b?x=1", "/a/b", "?x=1")]
    [InlineData("http://host:5000", "/", "")]
    [InlineData("http://host:5000?x=1", "/", "?x=1")]
    public void TrySplit_OriginAndAbsoluteForm_SplitsPathAndQuery(string target, string path, string query)
    {
        var ok = RequestTarget.TrySplit(target, out var actualPath, out var actualQuery);

        Assert.True(ok);
        Assert.Equal(path, actualPath);
        Assert.Equal(query, actualQuery);
    }

    [Theory]
    [InlineData("*")]
    [InlineData("")]
    [InlineData("a/b")]
    public void TrySplit_NoPath_ReturnsFalse(string target)
    {
        Assert.False(RequestTarget.TrySplit(target, out _, out _));
    }

    [Fact]
    public void TrySplit_NoQuery_ReturnsTheTargetItself()
    {
        var target = "/api/products/1";

        RequestTarget.TrySplit(target, out var path, out _);

        Assert.Same(target, path);
    }
}
