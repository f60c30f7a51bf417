using Cluster.Gateway.Middleware;
using Cluster.Gateway.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Cluster.Gateway.Tests.Middleware;

public sealed class InternalRequestHeadersTests
{
    [Theory]
    [InlineData("x-middleware-subrequest")]
    [InlineData("X-Middleware-Subrequest")]
    [InlineData("x-middleware-subrequest-id")]
    [InlineData("x-middleware-rewrite")]
    [InlineData("x-middleware-next")]
    [InlineData("x-middleware-redirect")]
    [InlineData("x-middleware-skip")]
    [InlineData("x-middleware-set-cookie")]
    [InlineData("x-middleware-override-headers")]
    [InlineData("x-middleware-request-authorization")]
    [InlineData("x-nextjs-data")]
    [InlineData("X-NEXTJS-REQUEST-ID")]
    [InlineData("x-matched-path")]
    [InlineData("x-now-route-matches")]
    public void IsInternal_InternalNames_True(string name)
    {
        Assert.True(InternalRequestHeaders.IsInternal(name));
    }

    [Theory]
    [InlineData("x")]
    [InlineData("accept")]
    [InlineData("x-forwarded-for")]
    [InlineData("x-middleware")]
    [InlineData("x-nextjs")]
    [InlineData("x-matched-paths")]
    [InlineData("middleware-subrequest")]
    [InlineData("authorization")]
    public void IsInternal_OtherNames_False(string name)
    {
        Assert.False(InternalRequestHeaders.IsInternal(name));
    }

    [Fact]
    public void Read_InternalHeadersPresent_LeftOutAndRemovedFromRequest()
    {
        var headers = new HeaderDictionary
        {
            ["Accept"] = "*/*",
            ["X-Middleware-Subrequest"] = "middleware:middleware:middleware:middleware:middleware",
            ["x-nextjs-data"] = "1",
            ["x-matched-path"] = "/admin",
            ["x-custom"] = "kept",
        };

        var result = RequestHeaderReader.Read(headers, out var removed);

        Assert.Equal(3, removed);
        Assert.Equal(["accept", "x-custom"], result.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Accept", "x-custom"], headers.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_NoInternalHeaders_NothingRemoved()
    {
        var headers = new HeaderDictionary { ["Accept"] = "*/*", ["x-forwarded-for"] = "10.0.0.1" };

        var result = RequestHeaderReader.Read(headers, out var removed);

        Assert.Equal(0, removed);
        Assert.Equal(2, result.Count);
        Assert.Equal(2, headers.Count);
    }
}
