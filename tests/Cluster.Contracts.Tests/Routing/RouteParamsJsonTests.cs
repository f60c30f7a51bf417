using System.Text.Json;
using Cluster.Routing;

namespace Cluster.Contracts.Tests.Routing;

public sealed class RouteParamsJsonTests
{
    [Fact]
    public void Serialize_SingleSegmentParam_IsString()
    {
        var json = JsonSerializer.Serialize(RouteParams.Of(("id", "123")));

        Assert.Equal("{\"id\":\"123\"}", json);
    }

    [Fact]
    public void Serialize_CatchAllParam_IsArray()
    {
        var json = JsonSerializer.Serialize(RouteParams.Of(("slug", new[] { "a", "b" })));

        Assert.Equal("{\"slug\":[\"a\",\"b\"]}", json);
    }

    [Fact]
    public void Serialize_NoParams_IsEmptyObject()
    {
        Assert.Equal("{}", JsonSerializer.Serialize(RouteParams.Empty));
    }

    [Fact]
    public void Json_RouteResponseOfParams_HasNextJsShape()
    {
        var response = RouteResponse.Json(RouteParams.Of(("id", "1"), ("slug", new[] { "x" })));

        Assert.Equal("{\"id\":\"1\",\"slug\":[\"x\"]}", System.Text.Encoding.UTF8.GetString(response.Body.Span));
    }

    [Fact]
    public void Deserialize_NextJsShape_RoundTrips()
    {
        var routeParams = JsonSerializer.Deserialize<RouteParams>("{\"id\":\"7\",\"slug\":[\"a\",\"b\"]}");

        Assert.NotNull(routeParams);
        Assert.Equal("7", routeParams["id"]);
        Assert.Equal(["a", "b"], routeParams.GetAll("slug"));
    }
}
