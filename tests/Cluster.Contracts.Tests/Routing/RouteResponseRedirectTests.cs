using Cluster.Routing;

namespace Cluster.Contracts.Tests.Routing;

public sealed class RouteResponseRedirectTests
{
    [Theory]
    [InlineData(301)]
    [InlineData(302)]
    [InlineData(303)]
    [InlineData(307)]
    [InlineData(308)]
    public void Redirect_RedirectStatus_SetsStatusAndLocation(int status)
    {
        var response = RouteResponse.Redirect("/next", status);

        Assert.Equal(status, response.Status);
        Assert.Contains(new KeyValuePair<string, string>("location", "/next"), response.Headers);
        Assert.True(response.Body.IsEmpty);
    }

    [Fact]
    public void Redirect_NoStatus_Is307()
    {
        Assert.Equal(307, RouteResponse.Redirect("/next").Status);
    }

    [Theory]
    [InlineData(300)]
    [InlineData(200)]
    [InlineData(304)]
    [InlineData(404)]
    public void Redirect_OtherStatus_ThrowsArgumentOutOfRange(int status)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RouteResponse.Redirect("/next", status));
    }
}
