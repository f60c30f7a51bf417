using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Tests.Membership.Service;

public sealed class MembershipSnapshotTests
{
    [Fact]
    public void Constructor_OrdersRowsByAddressTextAndListsOnlyActive()
    {
        var a = new SiloAddress("10.0.0.2", 1, 5);
        var b = new SiloAddress("10.0.0.1", 2, 5);
        var c = new SiloAddress("10.0.0.1", 1, 7);
        var d = new SiloAddress("10.0.0.1", 1, 6);

        var sut = new MembershipSnapshot(4, [Row(a, SiloStatus.Active), Row(b, SiloStatus.ShuttingDown), Row(c, SiloStatus.Active), Row(d, SiloStatus.Dead)]);

        Assert.Equal(4, sut.Version);
        Assert.Equal(new[] { d, c, b, a }, sut.Entries.Select(e => e.SiloAddress).ToArray());
        Assert.Equal(new[] { c, a }, sut.ActiveSilos.ToArray());
    }

    [Fact]
    public void GetStatus_KnownAndUnknownSilos()
    {
        var known = new SiloAddress("host", 1, 5);
        var sut = new MembershipSnapshot(1, [Row(known, SiloStatus.Joining)]);

        Assert.Equal(SiloStatus.Joining, sut.GetStatus(new SiloAddress("HOST", 1, 5)));
        Assert.Equal(SiloStatus.None, sut.GetStatus(new SiloAddress("host", 1, 6)));
        Assert.Equal(SiloStatus.None, MembershipSnapshot.Empty.GetStatus(known));
        Assert.Equal(0, MembershipSnapshot.Empty.Version);
        Assert.Empty(MembershipSnapshot.Empty.ActiveSilos);
    }

    [Fact]
    public void Constructor_DuplicateSilo_Throws()
    {
        var silo = new SiloAddress("host", 1, 5);

        Assert.Throws<ArgumentException>(() => new MembershipSnapshot(1, [Row(silo, SiloStatus.Active), Row(silo, SiloStatus.Dead)]));
    }

    private static MembershipEntry Row(SiloAddress silo, SiloStatus status) => new() { SiloAddress = silo, Status = status };
}
