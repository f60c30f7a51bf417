using Cluster.Gateway.Pipeline;
using Cluster.Routing;

namespace Cluster.Gateway.Tests.Pipeline;

public sealed class RouteMethodGateTests
{
    [Theory]
    [InlineData(RouteMethods.Post, "OPTIONS, POST")]
    [InlineData(RouteMethods.Get, "GET, HEAD, OPTIONS")]
    [InlineData(RouteMethods.Get | RouteMethods.Post | RouteMethods.Delete, "DELETE, GET, HEAD, OPTIONS, POST")]
    [InlineData(RouteMethods.Head, "HEAD, OPTIONS")]
    [InlineData(RouteMethods.Options | RouteMethods.Put, "OPTIONS, PUT")]
    [InlineData(RouteMethods.Get | RouteMethods.Head | RouteMethods.Patch, "GET, HEAD, OPTIONS, PATCH")]
    public void FormatAllow_ImplementedMethods_MatchesNextJsAutomaticOptions(RouteMethods implemented, string expected)
    {
        var allow = RouteMethodGate.FormatAllow(implemented);

        Assert.Equal(expected, allow);
    }

    [Theory]
    [InlineData("GET", RouteMethod.Get)]
    [InlineData("HEAD", RouteMethod.Head)]
    [InlineData("OPTIONS", RouteMethod.Options)]
    [InlineData("POST", RouteMethod.Post)]
    [InlineData("PUT", RouteMethod.Put)]
    [InlineData("PATCH", RouteMethod.Patch)]
    [InlineData("DELETE", RouteMethod.Delete)]
    public void TryParse_KnownMethod_ReturnsIt(string token, RouteMethod expected)
    {
        var parsed = RouteMethodGate.TryParse(token, out var method);

        Assert.True(parsed);
        Assert.Equal(expected, method);
    }

    [Theory]
    [InlineData("HEADER")]
    [InlineData("TRACE")]
    [InlineData("CONNECT")]
    [InlineData("PROPFIND")]
    [InlineData("QUERY")]
    public void TryParse_UnknownToken_ReturnsFalse(string token)
    {
        Assert.False(RouteMethodGate.TryParse(token, out _));
    }

    [Theory]
    [InlineData(RouteMethod.Head, RouteMethods.Get, RouteMethod.Get)]
    [InlineData(RouteMethod.Head, RouteMethods.Get | RouteMethods.Head, RouteMethod.Head)]
    [InlineData(RouteMethod.Get, RouteMethods.Get, RouteMethod.Get)]
    [InlineData(RouteMethod.Options, RouteMethods.Options, RouteMethod.Options)]
    public void SelectHandler_ImplementedOrAutomaticHead_ReturnsHandler(RouteMethod method, RouteMethods implemented, RouteMethod expected)
    {
        Assert.Equal(expected, RouteMethodGate.SelectHandler(method, implemented));
    }

    [Theory]
    [InlineData(RouteMethod.Head, RouteMethods.Post)]
    [InlineData(RouteMethod.Options, RouteMethods.Get)]
    [InlineData(RouteMethod.Delete, RouteMethods.Get | RouteMethods.Post)]
    public void SelectHandler_NotImplemented_ReturnsNull(RouteMethod method, RouteMethods implemented)
    {
        Assert.Null(RouteMethodGate.SelectHandler(method, implemented));
    }
}
