using System.Buffers;
using System.Text;
using Cluster.Grains.Wire;
using Cluster.Routing;
using Cluster.Routing.Wire;
using Cluster.Runtime.Serialization;
using Cluster.TestSupport;

namespace Cluster.Grains.Tests.Wire;

public sealed class RouteInvocationCodecTests
{
    private static readonly RouteInvocationCodec s_sut = RouteInvocationCodec.Instance;

    public static TheoryData<string> Samples => new(WireSamples.Invocations.Keys);

    [Theory]
    [MemberData(nameof(Samples))]
    public void Read_WhatWriteWrote_RoundTripsEveryField(string sample)
    {
        var invocation = WireSamples.Invocations[sample]();

        var read = WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, invocation));

        WireSamples.AssertEqual(invocation, read);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Read_SplitIntoManySegments_RoundTrips(string sample)
    {
        var invocation = WireSamples.Invocations[sample]();
        var bytes = WireSamples.Encode(s_sut, invocation);

        var read = s_sut.Read(TestSequences.Split(bytes, bytes.Length > 100_000 ? 4093 : 1));

        WireSamples.AssertEqual(invocation, read);
    }

    // The layout of format version 1. If this test has to change, the format changed: bump the version byte.
    [Fact]
    public void Write_Minimal_WritesTheVersion1Layout()
    {
        var bytes = WireSamples.Encode(s_sut, WireSamples.Invocations["minimal"]());

        byte[] expected =
        [
            1,
            1, .. "/"u8,
            (byte)RouteMethod.Get,
            3, .. "GET"u8,
            5, .. "https"u8,
            12, .. "shop.example"u8,
            1, .. "/"u8,
            0,
            0,
            0,
            0,
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Read_RepeatedHeaderNames_KeepsEveryPairInOrder()
    {
        var invocation = WireSamples.Invocations["repeated-header-names"]();

        var read = WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, invocation));

        Assert.Equal(["x-a", "X-A", "accept", "x-a"], read.Headers.Keys);
        Assert.Equal(["1", "2", "*/*", "3"], read.Headers.Values);
    }

    [Fact]
    public void Read_CatchAll_KeepsTheSegmentsAsAnArray()
    {
        var invocation = WireSamples.Invocations["catch-all"]();

        var read = WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, invocation));

        Assert.Equal(["a", "b c", "ü"], read.Params.GetAll("slug"));
        Assert.Equal("v2", read.Params["version"]);
        Assert.False(read.Params.TryGetValue("slug", out _));
    }

    [Fact]
    public void Read_Body_IsACopyThatOutlivesTheFrame()
    {
        var invocation = WireSamples.Invocations["post-binary-body"]();
        var bytes = WireSamples.Encode(s_sut, invocation);

        var read = WireSamples.Decode(s_sut, bytes);
        Array.Clear(bytes);

        WireSamples.AssertEqual(invocation, read);
    }

    [Fact]
    public void Read_NoHeadersOrParams_UsesTheSharedEmptyInstances()
    {
        var read = WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, WireSamples.Invocations["minimal"]()));

        Assert.Same(RouteHeaders.Empty, read.Headers);
        Assert.Same(RouteParams.Empty, read.Params);
        Assert.True(read.Body.IsEmpty);
    }

    [Fact]
    public void Write_Warm_AllocatesNothing()
    {
        var invocation = WireSamples.TypicalGet();
        var output = new ArrayBufferWriter<byte>(4096);
        s_sut.Write(invocation, output);
        output.ResetWrittenCount();

        var before = GC.GetAllocatedBytesForCurrentThread();
        s_sut.Write(invocation, output);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.True(output.WrittenCount > 0);
    }

    [Fact]
    public void Write_StringOfExactlyTheLimit_RoundTripsAndOneByteMoreIsRefused()
    {
        var atLimit = new string('a', RouteWireFormat.MaxStringBytes);
        var multiByteAtLimit = new string('日', RouteWireFormat.MaxStringBytes / 3) + "a";
        var invocation = WireSamples.TypicalGet();
        var ok = Copy(invocation, new RouteHeaders([new("x-big", atLimit), new("x-big-utf8", multiByteAtLimit)]));

        var read = WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, ok));
        WireSamples.AssertEqual(ok, read);

        var tooLong = Copy(invocation, new RouteHeaders([new("x-big", atLimit + "a")]));
        Assert.Throws<ArgumentException>(() => WireSamples.Encode(s_sut, tooLong));
        var tooLongUtf8 = Copy(invocation, new RouteHeaders([new("x-big", multiByteAtLimit + "é")]));
        Assert.Throws<ArgumentException>(() => WireSamples.Encode(s_sut, tooLongUtf8));
        var tooLongPath = new RouteInvocation
        {
            Pattern = invocation.Pattern,
            Handler = invocation.Handler,
            Method = invocation.Method,
            Scheme = invocation.Scheme,
            Host = invocation.Host,
            Path = atLimit + "/",
            QueryString = invocation.QueryString,
            Headers = invocation.Headers,
            Params = invocation.Params,
        };
        Assert.Throws<ArgumentException>(() => WireSamples.Encode(s_sut, tooLongPath));
    }

    [Fact]
    public void Write_MaxHeadersParamsAndSegments_RoundTripOneMoreIsRefused()
    {
        var invocation = WireSamples.TypicalGet();
        var maxHeaders = Enumerable.Range(0, RouteWireFormat.MaxHeaderCount).Select(i => new KeyValuePair<string, string>($"x-{i}", "v")).ToArray();
        var maxSegments = Enumerable.Range(0, RouteWireFormat.MaxSegmentCount).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var maxParams = Enumerable.Range(0, RouteWireFormat.MaxParamCount).Select(i => ($"p{i}", (object)"v")).ToArray();

        var ok = Copy(invocation, new RouteHeaders(maxHeaders), RouteParams.Of(("slug", maxSegments)));
        WireSamples.AssertEqual(ok, WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, ok)));
        var manyParams = Copy(invocation, RouteHeaders.Empty, RouteParams.Of(maxParams));
        WireSamples.AssertEqual(manyParams, WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, manyParams)));

        Assert.Throws<ArgumentException>(() => WireSamples.Encode(s_sut, Copy(invocation, new RouteHeaders([.. maxHeaders, new("x", "y")]))));
        Assert.Throws<ArgumentException>(() => WireSamples.Encode(s_sut, Copy(invocation, RouteHeaders.Empty, RouteParams.Of(("slug", maxSegments.Append("x").ToArray())))));
        Assert.Throws<ArgumentException>(() => WireSamples.Encode(s_sut, Copy(invocation, RouteHeaders.Empty, RouteParams.Of([.. maxParams, ("x", "y")]))));
    }

    [Fact]
    public void Write_UndefinedHandler_ThrowsArgumentOutOfRange()
    {
        var invocation = WireSamples.TypicalGet();
        var bad = new RouteInvocation
        {
            Pattern = invocation.Pattern,
            Handler = (RouteMethod)7,
            Method = invocation.Method,
            Scheme = invocation.Scheme,
            Host = invocation.Host,
            Path = invocation.Path,
            QueryString = invocation.QueryString,
            Headers = invocation.Headers,
            Params = invocation.Params,
        };

        Assert.Throws<ArgumentOutOfRangeException>(() => WireSamples.Encode(s_sut, bad));
    }

    [Fact]
    public void Write_ParamThatIsNeitherStringNorArray_ThrowsArgument()
    {
        var bad = Copy(WireSamples.TypicalGet(), RouteHeaders.Empty, RouteParams.FromTrustedArrays(["id"], [42]));

        Assert.Throws<ArgumentException>(() => WireSamples.Encode(s_sut, bad));
    }

    [Fact]
    public void Write_NullStringField_ThrowsArgumentNull()
    {
        var bad = Copy(WireSamples.TypicalGet(), new RouteHeaders([new("x-null", null!)]));

        Assert.Throws<ArgumentNullException>(() => WireSamples.Encode(s_sut, bad));
        Assert.Throws<ArgumentNullException>(() => s_sut.Write(null!, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Write_NonAsciiText_IsUtf8OnTheWire()
    {
        var invocation = WireSamples.Invocations["non-ascii"]();

        var bytes = WireSamples.Encode(s_sut, invocation);

        Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("bücher.example:8443")) > 0);
    }

    private static RouteInvocation Copy(RouteInvocation source, RouteHeaders headers, RouteParams? routeParams = null) => new()
    {
        Pattern = source.Pattern,
        Handler = source.Handler,
        Method = source.Method,
        Scheme = source.Scheme,
        Host = source.Host,
        Path = source.Path,
        QueryString = source.QueryString,
        Headers = headers,
        Params = routeParams ?? source.Params,
        Body = source.Body,
    };
}
