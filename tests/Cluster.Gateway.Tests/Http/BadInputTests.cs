using System.Net;
using System.Text;
using Cluster.Gateway.Tests.Infrastructure;

namespace Cluster.Gateway.Tests.Http;

/// <summary>Malformed and hostile requests get a clear answer and leave the gateway serving.</summary>
[Collection(EdgeAppCollection.Name)]
public sealed class BadInputTests(EdgeAppFixture fixture)
{
    private Uri Address => fixture.Host.Address;

    [Theory]
    [InlineData("/%2")]
    [InlineData("/params/%E0%A4%A")]
    [InlineData("/params/%ZZ")]
    [InlineData("/params/%C3%28")]
    [InlineData("/params/%00")]
    public async Task Get_MalformedPercentEncoding_Returns400(string target)
    {
        var response = await RawHttp.SendAsync(Address, "GET", target);

        Assert.Equal(400, response.Status);
        Assert.Equal(string.Empty, response.Body);
    }

    [Theory]
    [InlineData("/params/../throws")]
    [InlineData("/params/./1")]
    [InlineData("/params/%2e%2e/throws")]
    [InlineData("/params/%2E%2e/throws")]
    [InlineData("/params/.%2e/throws")]
    [InlineData("/..")]
    public async Task Get_DotSegments_Return400(string target)
    {
        var response = await RawHttp.SendAsync(Address, "GET", target);

        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task Get_OverLongUrl_Returns414()
    {
        var response = await RawHttp.SendAsync(Address, "GET", "/params/" + new string('a', 9_000));

        Assert.Equal(414, response.Status);
    }

    [Fact]
    public async Task Get_UrlJustUnderTheLimit_IsRouted()
    {
        var response = await RawHttp.SendAsync(Address, "GET", "/params/" + new string('a', 8_000));

        Assert.Equal(200, response.Status);
    }

    [Fact]
    public async Task Post_BodyAnnouncedOverLimit_Returns413()
    {
        var head = $"POST /echo HTTP/1.1\r\nHost: {Address.Authority}\r\nContent-Length: {70_000}\r\nConnection: close\r\n\r\n";

        var response = await RawHttp.SendBytesAsync(Address, Encoding.ASCII.GetBytes(head));

        Assert.Equal(413, response.Status);
    }

    [Fact]
    public async Task Post_ChunkedBodyOverLimit_Returns413()
    {
        var chunk = new string('x', 16_000);
        var request = new StringBuilder($"POST /echo HTTP/1.1\r\nHost: {Address.Authority}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        for (var i = 0; i < 5; i++)
        {
            request.Append(chunk.Length.ToString("x", System.Globalization.CultureInfo.InvariantCulture)).Append("\r\n").Append(chunk).Append("\r\n");
        }

        request.Append("0\r\n\r\n");

        var response = await RawHttp.SendBytesAsync(Address, Encoding.ASCII.GetBytes(request.ToString()));

        Assert.Equal(413, response.Status);
    }

    [Fact]
    public async Task Post_BodyWithinLimit_ReachesHandler()
    {
        var body = new string('y', 60_000);

        var response = await RawHttp.SendAsync(Address, "POST", "/echo", body);

        Assert.Equal(200, response.Status);
        Assert.Contains(body, response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_ClientDisconnectsMidBody_GatewayKeepsServingAndLogsNoError()
    {
        var errorsBefore = fixture.Host.Logs.Entries.Count(e => e.Level >= LogLevel.Error && e.Message.Contains("/echo", StringComparison.Ordinal));

        for (var i = 0; i < 20; i++)
        {
            await RawHttp.SendPartialBodyAndDisconnectAsync(Address, "/echo", announcedLength: 10_000, sentLength: 100);
        }

        using var response = await fixture.Host.Client.GetAsync("/params/alive");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var errorsAfter = fixture.Host.Logs.Entries.Count(e => e.Level >= LogLevel.Error && e.Message.Contains("/echo", StringComparison.Ordinal));
        Assert.Equal(errorsBefore, errorsAfter);
    }

    [Theory]
    [InlineData("OPTIONS * HTTP/1.1")]
    [InlineData("GET params/1 HTTP/1.1")]
    public async Task Get_TargetWithoutPath_Returns400(string requestLine)
    {
        var bytes = Encoding.ASCII.GetBytes($"{requestLine}\r\nHost: {Address.Authority}\r\nConnection: close\r\n\r\n");

        var response = await RawHttp.SendBytesAsync(Address, bytes);

        Assert.Equal(400, response.Status);
    }

    [Fact]
    public async Task Get_AbsoluteFormTarget_IsRoutedByItsPath()
    {
        var response = await RawHttp.SendAsync(Address, "GET", $"http://{Address.Authority}/params/abs");

        Assert.Equal(200, response.Status);
        Assert.Equal("""{"id":"abs"}""", response.Body);
    }
}
