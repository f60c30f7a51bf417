using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cluster.Runtime.Tests.Membership.Service;

public sealed class MembershipViewTests
{
    [Fact]
    public void Publish_OlderVersion_IgnoredAndChangedRaisedInOrder()
    {
        var table = new TestMembershipTable();
        var published = new List<(MembershipSnapshot Previous, MembershipSnapshot Current, bool Newer)>();
        var sut = new MembershipView(table, NullLogger.Instance, (p, c, n) => published.Add((p, c, n)), CancellationToken.None);
        var changed = new List<int>();
        sut.Changed += s => changed.Add(s.Version);

        var v2 = Snapshot(2);
        sut.Publish(v2);
        sut.Publish(Snapshot(1));
        var v2Again = Snapshot(2);
        sut.Publish(v2Again);
        sut.Publish(Snapshot(3));

        Assert.Equal([2, 3], changed);
        Assert.Equal(3, sut.Current.Version);

        // The same version replaces the view silently (fresher I-am-alive times), and the older one never shows.
        Assert.Equal([(0, 2, true), (2, 2, false), (2, 3, true)], published.Select(p => (p.Previous.Version, p.Current.Version, p.Newer)));
        Assert.Same(v2Again, published[2].Previous);
    }

    [Fact]
    public void Publish_HandlerPublishesNewer_OlderViewNotRaisedToLaterHandlers()
    {
        var sut = new MembershipView(new TestMembershipTable(), NullLogger.Instance, null, CancellationToken.None);
        var second = new List<int>();
        sut.Changed += s =>
        {
            if (s.Version == 1)
            {
                sut.Publish(Snapshot(2));
            }
        };
        sut.Changed += s => second.Add(s.Version);

        sut.Publish(Snapshot(1));

        Assert.Equal([2], second);
    }

    [Fact]
    public void Publish_ThrowingHandler_OthersStillRun()
    {
        var sut = new MembershipView(new TestMembershipTable(), NullLogger.Instance, null, CancellationToken.None);
        var seen = 0;
        sut.Changed += _ => throw new InvalidOperationException("handler bug");
        sut.Changed += _ => seen++;

        sut.Publish(Snapshot(1));

        Assert.Equal(1, seen);
    }

    [Fact]
    public async Task RefreshAsync_ConcurrentCallers_ShareOneRead()
    {
        var table = new TestMembershipTable();
        await table.InsertAsync(new MembershipEntry { SiloAddress = new SiloAddress("host", 1, 1), Status = SiloStatus.Active });
        var sut = new MembershipView(table, NullLogger.Instance, null, CancellationToken.None);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        table.ReadGate = gate;

        var refreshes = Enumerable.Range(0, 8).Select(_ => sut.RefreshAsync(1, CancellationToken.None)).ToArray();
        gate.SetResult();
        await Task.WhenAll(refreshes).WaitAsync(MembershipTestCluster.WaitTimeout);

        Assert.Equal(1, table.ReadAllCount);
        Assert.Equal(1, sut.Current.Version);

        // Already there: no read at all.
        await sut.RefreshAsync(1, CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);
        Assert.Equal(1, table.ReadAllCount);
    }

    [Fact]
    public async Task RefreshAsync_JoinedReadStartedBeforeTheWrite_ReadsAgain()
    {
        var table = new TestMembershipTable();
        var sut = new MembershipView(table, NullLogger.Instance, null, CancellationToken.None);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        table.ReadGate = gate;

        // A read is under way (it will see version 0) ...
        var early = sut.RefreshNowAsync(CancellationToken.None);
        await Waits.UntilAsync(() => table.ReadAllCount == 1);

        // ... when a peer writes version 1 and says so: the caller joins, finds it short, and reads once more.
        await table.InsertAsync(new MembershipEntry { SiloAddress = new SiloAddress("host", 1, 1), Status = SiloStatus.Active });
        var late = sut.RefreshAsync(1, CancellationToken.None);
        table.ReadGate = null;
        gate.SetResult();
        await Task.WhenAll(early, late).WaitAsync(MembershipTestCluster.WaitTimeout);

        Assert.Equal(2, table.ReadAllCount);
        Assert.Equal(1, sut.Current.Version);
    }

    [Fact]
    public async Task RefreshAsync_StoreDown_ThrowsAndKeepsView()
    {
        var table = new TestMembershipTable();
        await table.InsertAsync(new MembershipEntry { SiloAddress = new SiloAddress("host", 1, 1), Status = SiloStatus.Active });
        var sut = new MembershipView(table, NullLogger.Instance, null, CancellationToken.None);
        await sut.RefreshAsync(1, CancellationToken.None);
        await table.InsertAsync(new MembershipEntry { SiloAddress = new SiloAddress("host", 2, 1), Status = SiloStatus.Active });
        table.IsDown = true;

        await Assert.ThrowsAsync<TimeoutException>(() => sut.RefreshAsync(2, CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout));

        Assert.Equal(1, sut.Current.Version);
        table.IsDown = false;
        await sut.RefreshAsync(2, CancellationToken.None).WaitAsync(MembershipTestCluster.WaitTimeout);
        Assert.Equal(2, sut.Current.Version);
    }

    private static MembershipSnapshot Snapshot(int version)
        => new(version, [new MembershipEntry { SiloAddress = new SiloAddress("host", version, 1), Status = SiloStatus.Active }]);
}
