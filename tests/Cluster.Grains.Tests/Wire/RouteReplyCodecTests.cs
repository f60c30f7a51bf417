using System.Buffers;
using Cluster.Grains.Caching;
using Cluster.Grains.Wire;
using Cluster.Routing;
using Cluster.TestSupport;

namespace Cluster.Grains.Tests.Wire;

public sealed class RouteReplyCodecTests
{
    private static readonly RouteReplyCodec s_sut = RouteReplyCodec.Instance;

    public static TheoryData<RouteCacheStatus, long> Outcomes => new()
    {
        { RouteCacheStatus.None, 0 },
        { RouteCacheStatus.Hit, 59_999 },
        { RouteCacheStatus.Stale, 0 },
        { RouteCacheStatus.Miss, 1 },
        { RouteCacheStatus.Miss, -1 },
        { RouteCacheStatus.Hit, uint.MaxValue - 1L },
    };

    public static TheoryData<string> Samples => new(WireSamples.Responses.Keys.Where(static k => k != "large-body"));

    [Theory]
    [MemberData(nameof(Outcomes))]
    public void Read_WhatWriteWrote_RoundTripsTheOutcomeAndFreshness(RouteCacheStatus cache, long freshForMilliseconds)
    {
        var freshFor = freshForMilliseconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(freshForMilliseconds);
        var reply = new RouteReply(WireSamples.TypicalJson(), cache, freshFor);

        var read = WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, reply));

        Assert.Equal(cache, read.Cache);
        Assert.Equal(freshFor, read.FreshFor);
        WireSamples.AssertEqual(reply.Response, read.Response);
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Read_EveryResponseSample_SplitIntoSegments_RoundTrips(string sample)
    {
        var reply = new RouteReply(WireSamples.Responses[sample](), RouteCacheStatus.Hit, TimeSpan.FromSeconds(5));
        var bytes = WireSamples.Encode(s_sut, reply);

        var read = s_sut.Read(TestSequences.Split(bytes, 1));

        Assert.Equal((RouteCacheStatus.Hit, TimeSpan.FromSeconds(5)), (read.Cache, read.FreshFor));
        WireSamples.AssertEqual(reply.Response, read.Response);
    }

    [Theory]
    [InlineData(1.9, 1)]
    [InlineData(0.5, 0)]
    [InlineData(-5, 0)]
    public void Write_FreshForIsRoundedDownToWholeMilliseconds_NeverLonger(double milliseconds, long expected)
    {
        var reply = new RouteReply(RouteResponse.Empty(), RouteCacheStatus.Hit, TimeSpan.FromMilliseconds(milliseconds));

        var read = WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, reply));

        Assert.Equal(TimeSpan.FromMilliseconds(expected), read.FreshFor);
    }

    [Fact]
    public void Write_FreshForBeyondTheWireRange_IsCappedBelowUntilInvalidated()
    {
        var reply = new RouteReply(RouteResponse.Empty(), RouteCacheStatus.Hit, TimeSpan.FromDays(100));

        var read = WireSamples.Decode(s_sut, WireSamples.Encode(s_sut, reply));

        Assert.Equal(TimeSpan.FromMilliseconds(uint.MaxValue - 1L), read.FreshFor);
    }

    // The layout of format version 1. If this test has to change, the format changed: bump the version byte.
    [Fact]
    public void Write_StaticHit_WritesTheVersion1Layout()
    {
        var reply = new RouteReply(RouteResponse.Empty(204), RouteCacheStatus.Hit, Timeout.InfiniteTimeSpan);

        var bytes = WireSamples.Encode(s_sut, reply);

        byte[] expected =
        [
            1,
            (byte)RouteCacheStatus.Hit,
            0xFF, 0xFF, 0xFF, 0xFF, 0x0F,
            .. WireSamples.Encode(RouteResponseCodec.Instance, RouteResponse.Empty(204)),
        ];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void Write_DefaultReply_Throws()
        => Assert.Throws<ArgumentNullException>(() => WireSamples.Encode(s_sut, default(RouteReply)));

    [Fact]
    public void Read_EveryTruncation_ThrowsInvalidData()
    {
        var bytes = WireSamples.Encode(s_sut, new RouteReply(WireSamples.TypicalJson(), RouteCacheStatus.Miss, TimeSpan.FromSeconds(60)));

        for (var length = 0; length < bytes.Length; length++)
        {
            AssertInvalid(bytes.AsMemory(0, length));
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(255)]
    public void Read_UnknownCacheStatus_ThrowsInvalidDataNamingIt(byte cache)
    {
        var bytes = WireSamples.Encode(s_sut, new RouteReply(RouteResponse.Empty(), RouteCacheStatus.Hit, TimeSpan.Zero));
        bytes[1] = cache;

        var error = AssertInvalid(bytes);

        Assert.Contains(cache.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void Read_UnknownVersion_ThrowsInvalidData(byte version)
    {
        var bytes = WireSamples.Encode(s_sut, new RouteReply(RouteResponse.Empty(), RouteCacheStatus.Hit, TimeSpan.Zero));
        bytes[0] = version;

        AssertInvalid(bytes);
    }

    [Fact]
    public void Read_TrailingByte_ThrowsInvalidData()
    {
        var bytes = WireSamples.Encode(s_sut, new RouteReply(WireSamples.TypicalJson(), RouteCacheStatus.Hit, TimeSpan.FromSeconds(1)));

        AssertInvalid((byte[])[.. bytes, 0]);
    }

    [Fact]
    public void Read_FreshForVarintTooLong_ThrowsInvalidData()
        => AssertInvalid((byte[])[1, 1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, .. WireSamples.Encode(RouteResponseCodec.Instance, RouteResponse.Empty())]);

    [Fact]
    public void Read_RandomMutationsOfAValidReply_ReturnAValueOrThrowInvalidData()
    {
        var valid = WireSamples.Encode(s_sut, new RouteReply(WireSamples.TypicalJson(), RouteCacheStatus.Stale, TimeSpan.FromSeconds(3)));
        var random = new Random(5);

        for (var i = 0; i < 2_000; i++)
        {
            var bytes = (byte[])valid.Clone();
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            try
            {
                var read = s_sut.Read(new ReadOnlySequence<byte>(bytes));
                Assert.True(read.Cache <= RouteCacheStatus.Miss);
            }
            catch (InvalidDataException)
            {
            }
        }
    }

    private static InvalidDataException AssertInvalid(ReadOnlyMemory<byte> bytes)
    {
        try
        {
            var value = s_sut.Read(new ReadOnlySequence<byte>(bytes));
            Assert.Fail($"Reading {Convert.ToHexString(bytes.Span)} gave a reply ({value.Cache}) instead of failing.");
            throw new InvalidOperationException("Unreachable.");
        }
        catch (InvalidDataException error)
        {
            return error;
        }
    }
}
