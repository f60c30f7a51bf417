using Cluster.Gateway.Middleware;

namespace Cluster.Gateway.Tests.Middleware;

public sealed class MiddlewareRewriteTests
{
    [Theory]
    [InlineData("?a=1&b=2", "?b=3&c=4", "?a=1&b=3&c=4")]
    [InlineData("", "?b=3", "?b=3")]
    [InlineData("?a=1", "", "?a=1")]
    [InlineData("", "", "")]
    [InlineData("?b=1&a=2&b=5", "?b=3", "?a=2&b=3")]
    [InlineData("?x%20y=1&z=2", "?x+y=9", "?z=2&x+y=9")]
    public void MergeQuery_DestinationWinsForItsKeys_OthersKept(string request, string destination, string expected)
    {
        Assert.Equal(expected, MiddlewareRewrite.MergeQuery(request, destination));
    }

    [Theory]
    [InlineData("/x", "localhost:5000", "SameHost", "/x", "")]
    [InlineData("/x?y=1#frag", "localhost:5000", "SameHost", "/x", "?y=1")]
    [InlineData("http://localhost:5000/x?y=1", "localhost:5000", "SameHost", "/x", "?y=1")]
    [InlineData("http://LOCALHOST:5000", "localhost:5000", "SameHost", "/", "")]
    [InlineData("http://example.com/x", "example.com:80", "SameHost", "/x", "")]
    [InlineData("http://example.com:8080/x", "example.com", "OtherHost", "/x", "")]
    [InlineData("https://api.example.com/v1?q=1", "example.com", "OtherHost", "/v1", "?q=1")]
    public void Resolve_PathsAndUrls_SplitAndClassified(string destination, string host, string expectedKind, string path, string query)
    {
        var kind = Enum.Parse<RewriteDestinationKind>(expectedKind);
        var actual = MiddlewareRewrite.Resolve(destination, host, out var actualPath, out var actualQuery, out var url);

        Assert.Equal(kind, actual);
        Assert.Equal(path, actualPath);
        Assert.Equal(query, actualQuery);
        Assert.Equal(kind == RewriteDestinationKind.OtherHost, url is not null);
    }

    [Theory]
    [InlineData("//evil.example/x")]
    [InlineData("ftp://example.com/x")]
    [InlineData("x/y")]
    [InlineData("")]
    public void Resolve_NotAPathOrHttpUrl_IsInvalid(string destination)
    {
        Assert.Equal(RewriteDestinationKind.Invalid, MiddlewareRewrite.Resolve(destination, "example.com", out _, out _, out _));
    }
}
