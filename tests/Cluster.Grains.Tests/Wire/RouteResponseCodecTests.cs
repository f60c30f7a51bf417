using System.Buffers;
using Cluster.Grains.Wire;
using Cluster.Routing;
using Cluster.TestSupport;

namespace Cluster.Grains.Tests.Wire;

public sealed class RouteResponseCodecTests
{
    private static readonly RouteResponseCodec s_sut = RouteResponseCodec.Instance;

    public static TheoryData<string> Samples => new(WireSamples.Responses.Keys);

    [Theory]
    [MemberData(nameof(Samples))]
    public void Read_WhatWriteWrote_RoundTripsEveryField(string sample)
    {
        var response = WireSamples.Responses[sample]();

        var read = WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, response));

        WireSamples.AssertEqual(response, read);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Read_SplitIntoManySegments_RoundTrips(string sample)
    {
        var response = WireSamples.Responses[sample]();
        var bytes = WireSamples.Encode(s_sut, response);

        var read = s_sut.Read(TestSequences.Split(bytes, bytes.Length > 100_000 ? 4093 : 1));

        WireSamples.AssertEqual(response, read);
    }

    // The layout of format version 1. If this test has to change, the format changed: bump the version byte.
    [Fact]
    public void Write_Redirect_WritesTheVersion1Layout()
    {
        var bytes = WireSamples.Encode(s_sut, RouteResponse.Redirect("/a", 308));

        byte[] expected =
        [
            1,
            0xB4, 0x02,
            0,
            1,
            8, .. "location"u8,
            2, .. "/a"u8,
            0,
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Read_TypicalJson_KeepsTheSixtyFourByteBodyAndContentType()
    {
        var response = WireSamples.TypicalJson();

        var read = WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, response));

        Assert.Equal(64, read.Body.Length);
        Assert.Equal(RouteResponse.JsonContentType, read.ContentType);
        Assert.Empty(read.Headers);
    }

    [Fact]
    public void Read_Cookies_KeepOneSetCookieHeaderPerCookieWithEveryAttribute()
    {
        var response = WireSamples.Responses["cookies-all-options"]();

        var read = WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, response));

        var cookies = read.Headers.Where(h => h.Key == "set-cookie").Select(h => h.Value).ToArray();
        Assert.Equal(4, cookies.Length);
        Assert.Equal(
            "session=a%20b%3Bc%3D%C3%BC; Path=/app; Domain=example.com; Expires=Wed, 02 Jan 2030 03:04:05 GMT; Max-Age=3600; Secure; HttpOnly; SameSite=Strict",
            cookies[0]);
        Assert.Equal("theme=dark; Path=/", cookies[1]);
    }

    [Fact]
    public void Read_NullAndEmptyContentType_StayDistinct()
    {
        var none = WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, RouteResponse.Empty()));
        var empty = WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, WireSamples.Responses["content-type-replaced-empty"]()));

        Assert.Null(none.ContentType);
        Assert.Equal(string.Empty, empty.ContentType);
    }

    [Fact]
    public void Read_Response_CanStillBeExtended()
    {
        var read = WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, RouteResponse.Redirect("/a")));

        var extended = read.WithHeader("x-b", "1").WithCookie("c", "d").WithStatus(302);

        Assert.Equal(["location", "x-b", "set-cookie"], extended.Headers.Select(h => h.Key));
        Assert.Single(read.Headers);
    }

    [Fact]
    public void Read_Body_IsACopyThatOutlivesTheFrame()
    {
        var response = WireSamples.Responses["bytes"]();
        var bytes = WireSamples.Encode(s_sut, response);

        var read = WireSamples.Decode(s_sut, bytes);
        Array.Clear(bytes);

        WireSamples.AssertEqual(response, read);
    }

    [Theory]
    [InlineData("json-64-bytes")]
    [InlineData("cookies-all-options")]
    [InlineData("redirect-307")]
    public void Write_Warm_AllocatesNothing(string sample)
    {
        var response = WireSamples.Responses[sample]();
        var output = new ArrayBufferWriter<byte>(4096);
        s_sut.Write(response, output);
        output.ResetWrittenCount();

        var before = GC.GetAllocatedBytesForCurrentThread();
        s_sut.Write(response, output);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Write_OverLimits_ThrowsArgumentBeforeAnythingReachesThePeer()
    {
        var tooLongType = RouteResponse.Bytes(new byte[1], new string('t', RouteWireFormat.MaxStringBytes + 1));
        var tooLongHeader = RouteResponse.Empty().WithHeader("x-big", new string('v', RouteWireFormat.MaxStringBytes + 1));
        var tooManyHeaders = RouteResponse.Empty();
        for (var i = 0; i <= RouteWireFormat.MaxHeaderCount; i++)
        {
            tooManyHeaders = tooManyHeaders.WithHeader("x", "y");
        }

        Assert.Throws<ArgumentException>(() => WireSamples.Encode(s_sut, tooLongType));
        Assert.Throws<ArgumentException>(() => WireSamples.Encode(s_sut, tooLongHeader));
        Assert.Throws<ArgumentException>(() => WireSamples.Encode(s_sut, tooManyHeaders));
        Assert.Throws<ArgumentNullException>(() => s_sut.Write(null!, new ArrayBufferWriter<byte>()));
    }
}
