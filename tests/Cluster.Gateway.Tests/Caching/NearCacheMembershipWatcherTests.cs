using Cluster.Gateway.Caching;
using Cluster.Gateway.Tests.Caching.TestSupport;
using Cluster.Gateway.Tests.Infrastructure;
using static Cluster.Gateway.Tests.Caching.TestSupport.NearCacheFactory;

namespace Cluster.Gateway.Tests.Caching;

public sealed class NearCacheMembershipWatcherTests
{
    private const string Blog = "/blog/[slug]";

    private readonly FakeTimeProvider _clock = new();

    [Fact]
    public async Task MembershipChange_AfterStart_EmptiesTheNearCacheAndMovesTheEpoch()
    {
        var nearCache = Create(_clock);
        var membership = new FakeMembership();
        var sut = new NearCacheMembershipWatcher(nearCache, membership);
        await sut.StartAsync(CancellationToken.None);
        nearCache.TryAdd(Blog, "/blog/a", Miss("a"), nearCache.Epoch);
        var epoch = nearCache.Epoch;

        membership.Publish();

        Assert.False(nearCache.TryGet(Blog, "/blog/a", out _));
        Assert.True(nearCache.Epoch > epoch);
    }

    [Fact]
    public async Task MembershipChange_AfterStop_IsNoLongerWatched()
    {
        var nearCache = Create(_clock);
        var membership = new FakeMembership();
        var sut = new NearCacheMembershipWatcher(nearCache, membership);
        await sut.StartAsync(CancellationToken.None);
        await sut.StopAsync(CancellationToken.None);
        nearCache.TryAdd(Blog, "/blog/a", Miss("a"), nearCache.Epoch);

        membership.Publish();

        Assert.Equal(0, membership.Subscribers);
        Assert.True(nearCache.TryGet(Blog, "/blog/a", out _));
    }

    [Fact]
    public async Task Start_WithoutMembership_DoesNothing()
    {
        var sut = new NearCacheMembershipWatcher(Create(_clock));

        await sut.StartAsync(CancellationToken.None);
        await sut.StopAsync(CancellationToken.None);
    }
}
