using Cluster.Routing;

namespace Cluster.Contracts.Tests.Routing;

public sealed class RouteRequestStaticRenderTests
{
    [Fact]
    public void ForStaticRender_Hidden_HasNoRequestDataAndAQuerylessLocalhostUrl()
    {
        var sut = RouteRequest.ForStaticRender(RouteRequestMode.Hidden, "/blog/[slug]", "/blog/hello%20world");

        Assert.Equal("GET", sut.Method);
        Assert.Empty(sut.Headers);
        Assert.Null(sut.Headers["cookie"]);
        Assert.Empty(sut.Cookies);
        Assert.Empty(sut.Query);
        Assert.Equal(string.Empty, sut.QueryString);
        Assert.Equal("http://localhost/blog/hello%20world", sut.Url.OriginalString);
        Assert.Equal("/blog/hello%20world", sut.Path);
        Assert.True(sut.Body.IsEmpty);
        Assert.Null(sut.RequestDataRead);
    }

    [Theory]
    [InlineData("request.Headers")]
    [InlineData("request.Cookies")]
    [InlineData("request.Query")]
    [InlineData("request.QueryString")]
    public void ForStaticRender_Forbidden_ReadingRequestDataThrowsNamingTheRouteAndTheRead(string expression)
    {
        var sut = RouteRequest.ForStaticRender(RouteRequestMode.Forbidden, "/x", "/x");

        var error = Assert.Throws<StaticGenerationBailoutException>(() => Read(sut, expression));

        Assert.Equal($"Route /x with Dynamic = Error couldn't be rendered statically because it used {expression}.", error.Message);
        Assert.Equal(expression, sut.RequestDataRead);
    }

    [Fact]
    public void ForStaticRender_Forbidden_PathUrlAndBodyStayReadable()
    {
        var sut = RouteRequest.ForStaticRender(RouteRequestMode.Forbidden, "/x", "/x");

        Assert.Equal("/x", sut.Path);
        Assert.Equal("http://localhost/x", sut.Url.OriginalString);
        Assert.True(sut.Body.IsEmpty);
        Assert.Null(sut.RequestDataRead);
    }

    [Theory]
    [InlineData("request.Headers")]
    [InlineData("request.Cookies")]
    [InlineData("request.Query")]
    [InlineData("request.QueryString")]
    public void ForStaticRender_Tracked_ReadingRequestDataGivesEmptyDataAndRecordsTheRead(string expression)
    {
        var sut = RouteRequest.ForStaticRender(RouteRequestMode.Tracked, "/x", "/x");

        var value = Read(sut, expression);

        Assert.True(value is string { Length: 0 } || (value is System.Collections.IEnumerable items && !items.GetEnumerator().MoveNext()));
        Assert.Equal(expression, sut.RequestDataRead);
    }

    [Fact]
    public void ForStaticRender_Tracked_FirstReadIsTheOneRecorded()
    {
        var sut = RouteRequest.ForStaticRender(RouteRequestMode.Tracked, "/x", "/x");

        _ = sut.Cookies;
        _ = sut.Headers;

        Assert.Equal("request.Cookies", sut.RequestDataRead);
    }

    [Fact]
    public void ForStaticRender_Tracked_NoRead_RecordsNothing()
    {
        var sut = RouteRequest.ForStaticRender(RouteRequestMode.Tracked, "/x", "/x");

        _ = sut.Path;
        _ = sut.Url;
        _ = sut.Method;

        Assert.Null(sut.RequestDataRead);
    }

    [Fact]
    public void ForStaticRender_Hidden_ReadsAreNotRecorded()
    {
        var sut = RouteRequest.ForStaticRender(RouteRequestMode.Hidden, "/x", "/x");

        _ = sut.Headers;
        _ = sut.Query;

        Assert.Null(sut.RequestDataRead);
    }

    [Theory]
    [InlineData((byte)RouteRequestMode.Live)]
    [InlineData((byte)42)]
    public void ForStaticRender_ModeThatDoesNotHideData_Throws(byte mode)
        => Assert.Throws<ArgumentOutOfRangeException>(() => RouteRequest.ForStaticRender((RouteRequestMode)mode, "/x", "/x"));

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    public void ForStaticRender_PathNotStartingWithSlash_Throws(string path)
        => Assert.Throws<ArgumentException>(() => RouteRequest.ForStaticRender(RouteRequestMode.Hidden, "/x", path));

    [Fact]
    public void ForStaticRender_NullPath_Throws()
        => Assert.Throws<ArgumentNullException>(() => RouteRequest.ForStaticRender(RouteRequestMode.Hidden, "/x", null!));

    [Fact]
    public void Constructor_LiveRequest_ExposesEverythingAndRecordsNothing()
    {
        var sut = RouteRequest.Create(
            "get", new Uri("https://shop.example/a?q=1&q=2"), [new("x-test", "yes"), new("cookie", "c=%20v")]);

        Assert.Equal("yes", sut.Headers["x-test"]);
        Assert.Equal(" v", sut.Cookies["c"]);
        Assert.Equal(["1", "2"], sut.Query["q"]);
        Assert.Equal("?q=1&q=2", sut.QueryString);
        Assert.Equal("https://shop.example/a?q=1&q=2", sut.Url.OriginalString);
        Assert.Null(sut.RequestDataRead);
    }

    [Fact]
    public void StaticGenerationBailoutException_StandardConstructors_KeepMessageAndInner()
    {
        var inner = new InvalidOperationException("inner");

        Assert.False(string.IsNullOrEmpty(new StaticGenerationBailoutException().Message));
        Assert.Equal("m", new StaticGenerationBailoutException("m").Message);
        Assert.Same(inner, new StaticGenerationBailoutException("m", inner).InnerException);
    }

    private static object Read(RouteRequest request, string expression) => expression switch
    {
        "request.Headers" => request.Headers,
        "request.Cookies" => request.Cookies,
        "request.Query" => request.Query,
        "request.QueryString" => request.QueryString,
        _ => throw new ArgumentOutOfRangeException(nameof(expression)),
    };
}
