using Cluster.Gateway.Caching;
using Cluster.Gateway.Tests.Caching.TestSupport;
using Cluster.Gateway.Tests.Infrastructure;
using Cluster.Grains.Caching;
using Cluster.Routing;
using Cluster.Runtime.Identity;
using static Cluster.Gateway.Tests.Caching.TestSupport.NearCacheFactory;

namespace Cluster.Gateway.Tests.Caching;

public sealed class GatewayNearCacheTests
{
    private const string Blog = "/blog/[slug]";
    private const string Docs = "/docs/[...slug]";

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public void TryGet_Empty_ReturnsFalse()
    {
        var sut = Create(_clock);

        Assert.False(sut.TryGet(Blog, "/blog/a", out var response));
        Assert.Null(response);
    }

    [Theory]
    [InlineData(RouteCacheStatus.Miss)]
    [InlineData(RouteCacheStatus.Hit)]
    public void TryAdd_FreshReply_IsServedUntilItsFreshnessEnds(RouteCacheStatus status)
    {
        var sut = Create(_clock);
        var reply = Reply("a1", status, Isr);

        Assert.True(sut.TryAdd(Blog, "/blog/a", reply, sut.Epoch));
        _clock.Advance(Isr - TimeSpan.FromTicks(1));

        Assert.True(sut.TryGet(Blog, "/blog/a", out var response));
        Assert.Same(reply.Response, response);
        _clock.Advance(TimeSpan.FromTicks(1));
        Assert.False(sut.TryGet(Blog, "/blog/a", out _));
    }

    [Fact]
    public void TryAdd_FreshUntilInvalidated_NeverExpires()
    {
        var sut = Create(_clock);

        Assert.True(sut.TryAdd(Blog, "/blog/a", Reply("static", RouteCacheStatus.Miss, Timeout.InfiniteTimeSpan), sut.Epoch));
        _clock.Advance(TimeSpan.FromDays(400));

        Assert.True(sut.TryGet(Blog, "/blog/a", out var response));
        Assert.Equal("static", Text(response));
    }

    [Fact]
    public void TryAdd_LongestFreshnessTheWireCarries_DoesNotOverflow()
    {
        var sut = Create(_clock);
        var longest = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

        Assert.True(sut.TryAdd(Blog, "/blog/a", Reply("long", RouteCacheStatus.Miss, longest), sut.Epoch));
        _clock.Advance(longest - TimeSpan.FromSeconds(1));
        Assert.True(sut.TryGet(Blog, "/blog/a", out _));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(sut.TryGet(Blog, "/blog/a", out _));
    }

    [Theory]
    [InlineData(RouteCacheStatus.Stale, 0)]
    [InlineData(RouteCacheStatus.None, 0)]
    [InlineData(RouteCacheStatus.Miss, 0)]
    [InlineData(RouteCacheStatus.Hit, 0)]
    [InlineData(RouteCacheStatus.None, 10_000)]
    [InlineData(RouteCacheStatus.Stale, 10_000)]
    [InlineData(RouteCacheStatus.Miss, -5)]
    public void TryAdd_ReplyThatMayNotBeKept_IsNotStored(RouteCacheStatus status, int freshForMs)
    {
        var sut = Create(_clock);

        Assert.False(sut.TryAdd(Blog, "/blog/a", Reply("x", status, TimeSpan.FromMilliseconds(freshForMs)), sut.Epoch));

        Assert.False(sut.TryGet(Blog, "/blog/a", out _));
        Assert.Equal(0, sut.Count);
        Assert.Equal(0, sut.Bytes);
    }

    [Fact]
    public void TryGet_PathOfAnotherRoute_ReturnsFalse()
    {
        var sut = Create(_clock);
        sut.TryAdd(Blog, "/x", Miss("blog"), sut.Epoch);

        Assert.False(sut.TryGet(Docs, "/x", out _));
        Assert.True(sut.TryGet(Blog, "/x", out _));
    }

    [Fact]
    public void TryGet_KeyIsThePathAsRouted_CaseAndEncodingMatter()
    {
        var sut = Create(_clock);
        sut.TryAdd(Blog, "/blog/a%20b", Miss("x"), sut.Epoch);

        Assert.False(sut.TryGet(Blog, "/blog/A%20b", out _));
        Assert.False(sut.TryGet(Blog, "/blog/a b", out _));
        Assert.True(sut.TryGet(Blog, "/blog/a%20b", out _));
    }

    [Fact]
    public void TryAdd_EpochReadBeforeAnInvalidation_IsRefused()
    {
        var sut = Create(_clock);
        var before = sut.Epoch;

        // Of another path even: the epoch is global, so the rule needs no bookkeeping per path.
        sut.Invalidate(new NearCacheInvalidation(Docs, "/docs/z"));

        Assert.False(sut.TryAdd(Blog, "/blog/a", Miss("old"), before));
        Assert.False(sut.TryGet(Blog, "/blog/a", out _));
        Assert.True(sut.TryAdd(Blog, "/blog/a", Miss("new"), sut.Epoch));
    }

    [Fact]
    public void TryAdd_EpochReadBeforeAClear_IsRefused()
    {
        var sut = Create(_clock);
        var before = sut.Epoch;

        sut.OnConnectionLost(new SiloAddress("127.0.0.1", 11111, 1));

        Assert.False(sut.TryAdd(Blog, "/blog/a", Miss("old"), before));
        Assert.Equal(0, sut.Count);
    }

    [Fact]
    public void Invalidate_Path_DropsThatPathOnly()
    {
        var sut = Create(_clock);
        sut.TryAdd(Blog, "/blog/a", Miss("a"), sut.Epoch);
        sut.TryAdd(Blog, "/blog/b", Miss("b"), sut.Epoch);
        var epoch = sut.Epoch;

        var dropped = sut.Invalidate(new NearCacheInvalidation(Blog, "/blog/a"));

        Assert.Equal(1, dropped);
        Assert.False(sut.TryGet(Blog, "/blog/a", out _));
        Assert.True(sut.TryGet(Blog, "/blog/b", out _));
        Assert.True(sut.Epoch > epoch);
    }

    [Fact]
    public void Invalidate_PathNotHeld_StillMovesTheEpoch()
    {
        var sut = Create(_clock);
        var epoch = sut.Epoch;

        Assert.Equal(0, sut.Invalidate(new NearCacheInvalidation(Blog, "/blog/none")));
        Assert.Equal(0, sut.Invalidate(new NearCacheInvalidation("/never-cached", null)));

        Assert.Equal(epoch + 2, sut.Epoch);
    }

    [Fact]
    public void Invalidate_WholeRoute_DropsEveryPathOfItAndKeepsOtherRoutes()
    {
        var sut = Create(_clock);
        sut.TryAdd(Blog, "/blog/a", Miss("a"), sut.Epoch);
        sut.TryAdd(Blog, "/blog/b", Miss("b"), sut.Epoch);
        sut.TryAdd(Docs, "/docs/a", Miss("d"), sut.Epoch);
        var docsBytes = sut.Bytes / 3;

        var dropped = sut.Invalidate(new NearCacheInvalidation(Blog, null));

        Assert.Equal(2, dropped);
        Assert.False(sut.TryGet(Blog, "/blog/a", out _));
        Assert.False(sut.TryGet(Blog, "/blog/b", out _));
        Assert.True(sut.TryGet(Docs, "/docs/a", out _));
        Assert.Equal(1, sut.Count);
        Assert.Equal(docsBytes, sut.Bytes);

        // A path stored again after the route was dropped is dropped with the route the next time.
        sut.TryAdd(Blog, "/blog/a", Miss("a2"), sut.Epoch);
        Assert.Equal(1, sut.Invalidate(new NearCacheInvalidation(Blog, null)));
    }

    [Fact]
    public void OnBroadcast_Payload_DropsWhatItNames()
    {
        var sut = Create(_clock);
        sut.TryAdd(Blog, "/blog/a", Miss("a"), sut.Epoch);
        sut.TryAdd(Blog, "/blog/b", Miss("b"), sut.Epoch);

        sut.OnBroadcast(new NearCacheInvalidation(Blog, "/blog/b").ToPayload());

        Assert.True(sut.TryGet(Blog, "/blog/a", out _));
        Assert.False(sut.TryGet(Blog, "/blog/b", out _));
        Assert.Equal(NearCacheInvalidation.Topic, sut.Topic);
    }

    public static TheoryData<byte[]> MalformedPayloads() => new()
    {
        Array.Empty<byte>(),
        new byte[] { 2, 0, 0 },
        new byte[] { 1, 200 },
        new byte[] { 1, 0x81 },
        new byte[] { 1, 3, (byte)'/', (byte)'a' },
        new byte[] { 1, 2, 0xC3, 0x28, 0 },
        new NearCacheInvalidation(Blog, "/blog/a").ToPayload().Concat(new byte[] { 7 }).ToArray(),
    };

    [Theory]
    [MemberData(nameof(MalformedPayloads))]
    public void OnBroadcast_MalformedPayload_DropsEverythingWithoutThrowing(byte[] payload)
    {
        var sut = Create(_clock);
        sut.TryAdd(Blog, "/blog/a", Miss("a"), sut.Epoch);
        sut.TryAdd(Docs, "/docs/a", Miss("d"), sut.Epoch);
        var epoch = sut.Epoch;

        sut.OnBroadcast(payload);

        Assert.Equal(0, sut.Count);
        Assert.Equal(0, sut.Bytes);
        Assert.True(sut.Epoch > epoch);
    }

    [Fact]
    public void OnConnectionLost_DropsEverything()
    {
        var sut = Create(_clock);
        sut.TryAdd(Blog, "/blog/a", Miss("a"), sut.Epoch);
        sut.TryAdd(Docs, "/docs/a", Reply("d", RouteCacheStatus.Miss, Timeout.InfiniteTimeSpan), sut.Epoch);

        sut.OnConnectionLost(new SiloAddress("127.0.0.1", 11111, 1));

        Assert.False(sut.TryGet(Blog, "/blog/a", out _));
        Assert.False(sut.TryGet(Docs, "/docs/a", out _));
        Assert.Equal(0, sut.Bytes);
    }

    [Fact]
    public void Clear_ThenInvalidateWholeRoute_FindsNothingStale()
    {
        var sut = Create(_clock);
        sut.TryAdd(Blog, "/blog/a", Miss("a"), sut.Epoch);
        sut.Clear(NearCacheClearReason.MembershipChanged);

        Assert.Equal(0, sut.Invalidate(new NearCacheInvalidation(Blog, null)));
        Assert.True(sut.TryAdd(Blog, "/blog/a", Miss("a"), sut.Epoch));
        Assert.Equal(1, sut.Count);
    }

    [Fact]
    public void TryAdd_SamePathAgain_ReplacesTheCopyAndItsBytes()
    {
        var sut = Create(_clock);
        sut.TryAdd(Blog, "/blog/a", Miss("first"), sut.Epoch);
        var bytes = sut.Bytes;

        sut.TryAdd(Blog, "/blog/a", Miss("again"), sut.Epoch);

        Assert.Equal(1, sut.Count);
        Assert.Equal(bytes, sut.Bytes);
        Assert.True(sut.TryGet(Blog, "/blog/a", out var response));
        Assert.Equal("again", Text(response));
    }

    [Fact]
    public void TryAdd_OverTheCap_EmptiesTheCacheThenKeepsTheNewCopy()
    {
        const long Cap = 64 * 1024;
        var sut = Create(_clock, maxBytes: Cap);
        var body = new string('x', 20 * 1024);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(sut.TryAdd(Blog, "/blog/" + i, Miss(body), sut.Epoch));
        }

        Assert.Equal(3, sut.Count);
        var before = sut.Epoch;

        Assert.True(sut.TryAdd(Blog, "/blog/3", Miss(body), sut.Epoch));

        Assert.Equal(1, sut.Count);
        Assert.True(sut.TryGet(Blog, "/blog/3", out _));
        Assert.False(sut.TryGet(Blog, "/blog/0", out _));
        Assert.InRange(sut.Bytes, body.Length, Cap);
        Assert.True(sut.Epoch > before);
    }

    [Fact]
    public void TryAdd_ResponseLargerThanTheCap_IsNotKeptAndKeepsTheRest()
    {
        var sut = Create(_clock, maxBytes: 64 * 1024);
        sut.TryAdd(Blog, "/blog/small", Miss("small"), sut.Epoch);

        Assert.False(sut.TryAdd(Blog, "/blog/huge", Miss(new string('x', 65 * 1024)), sut.Epoch));

        Assert.False(sut.TryGet(Blog, "/blog/huge", out _));
        Assert.True(sut.TryGet(Blog, "/blog/small", out _));
    }

    [Fact]
    public void Bytes_CountBodyHeadersAndPath()
    {
        var sut = Create(_clock);
        var response = RouteResponse.Text(new string('x', 1000)).WithHeader("cache-control", "s-maxage=10");

        sut.TryAdd(Blog, "/blog/a", new RouteReply(response, RouteCacheStatus.Miss, Isr), sut.Epoch);

        Assert.InRange(sut.Bytes, RouteCacheSizes.Of(response) + (2 * "/blog/a".Length), RouteCacheSizes.Of(response) + 1024);
    }

    [Fact]
    public void TryAdd_StaleReplyAfterTheCopyExpired_ForgetsTheCopy()
    {
        var sut = Create(_clock);
        sut.TryAdd(Blog, "/blog/a", Miss("a"), sut.Epoch);
        _clock.Advance(Isr);

        Assert.False(sut.TryAdd(Blog, "/blog/a", Reply("a", RouteCacheStatus.Stale, TimeSpan.Zero), sut.Epoch));

        Assert.Equal(0, sut.Count);
        Assert.Equal(0, sut.Bytes);
    }

    [Fact]
    public void TryAdd_StaleReplyWhileTheCopyIsFresh_KeepsTheCopy()
    {
        var sut = Create(_clock);
        sut.TryAdd(Blog, "/blog/a", Miss("a"), sut.Epoch);

        sut.TryAdd(Blog, "/blog/a", Reply("a", RouteCacheStatus.Stale, TimeSpan.Zero), sut.Epoch);

        Assert.True(sut.TryGet(Blog, "/blog/a", out _));
    }

    [Fact]
    public void Disabled_KeepsNothing()
    {
        var sut = Create(_clock, enabled: false);

        Assert.False(sut.TryAdd(Blog, "/blog/a", Miss("a"), sut.Epoch));
        Assert.False(sut.TryGet(Blog, "/blog/a", out _));
        Assert.False(sut.Enabled);
    }
}
