using Cluster.Gateway.Dashboard;
using Cluster.Runtime.Hosting;

namespace Cluster.Gateway.Tests.Dashboard;

public sealed class MembershipEventLogTests
{
    private readonly TestMembership _membership = new();
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Observe_ViewsOverTime_OneEventPerStatusChangeNewestFirst()
    {
        // Arrange
        var sut = CreateSut();
        await sut.StartAsync(CancellationToken.None);
        var a = TestMembership.Silo(1);
        var b = TestMembership.Silo(2);

        // Act: a joins and becomes active; b joins; a dies while b becomes active; a's row is cleaned up.
        _membership.Publish((a, SiloStatus.Joining));
        _membership.Publish((a, SiloStatus.Active), (b, SiloStatus.Joining));
        _time.Advance(TimeSpan.FromSeconds(5));
        _membership.Publish((a, SiloStatus.Dead), (b, SiloStatus.Active));
        _membership.Publish((a, null));

        // Assert
        var events = sut.Snapshot().Select(static e => (e.Silo, e.Status, e.PreviousStatus)).ToList();
        Assert.Equal(
            [
                (a.ToString(), "Removed", "Dead"),
                (b.ToString(), "Active", "Joining"),
                (a.ToString(), "Dead", "Active"),
                (b.ToString(), "Joining", null),
                (a.ToString(), "Active", "Joining"),
                (a.ToString(), "Joining", null),
            ],
            events);
        Assert.Equal(_time.GetUtcNow(), sut.Snapshot()[0].At);
    }

    [Fact]
    public async Task StartAsync_ViewPublishedBefore_RecordsItsSilos()
    {
        var sut = CreateSut();
        _membership.Publish((TestMembership.Silo(1), SiloStatus.Active));

        await sut.StartAsync(CancellationToken.None);

        var change = Assert.Single(sut.Snapshot());
        Assert.Equal("Active", change.Status);
        Assert.Null(change.PreviousStatus);
    }

    [Fact]
    public async Task StopAsync_ThenAView_RecordsNothing()
    {
        var sut = CreateSut();
        await sut.StartAsync(CancellationToken.None);
        await sut.StopAsync(CancellationToken.None);

        _membership.Publish((TestMembership.Silo(1), SiloStatus.Active));

        Assert.Empty(sut.Snapshot());
    }

    [Fact]
    public async Task Snapshot_MoreThanCapacity_KeepsTheNewest()
    {
        var sut = CreateSut();
        await sut.StartAsync(CancellationToken.None);

        for (var port = 1; port <= MembershipEventLog.Capacity + 10; port++)
        {
            _membership.Publish((TestMembership.Silo(port), SiloStatus.Active));
        }

        var events = sut.Snapshot();
        Assert.Equal(MembershipEventLog.Capacity, events.Length);
        Assert.Equal(TestMembership.Silo(MembershipEventLog.Capacity + 10).ToString(), events[0].Silo);
        Assert.Equal(TestMembership.Silo(11).ToString(), events[^1].Silo);
        Assert.Equal(MembershipEventLog.Capacity + 10, sut.Total);
    }

    private MembershipEventLog CreateSut() => new(_time, _membership);
}
