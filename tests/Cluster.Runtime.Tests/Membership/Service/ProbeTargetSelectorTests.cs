using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Tests.Membership.Service;

public sealed class ProbeTargetSelectorTests
{
    [Fact]
    public void Select_FewerSilosThanRings_EveryoneElse()
    {
        var silos = Silos(5);

        var targets = ProbeTargetSelector.Select(silos[0], silos, count: 10);

        Assert.Equal(silos.Skip(1).OrderBy(s => s.ToString()), targets.OrderBy(s => s.ToString()));
    }

    [Fact]
    public void Select_Alone_Nobody()
    {
        var self = new SiloAddress("10.0.0.1", 1, 1);

        Assert.Empty(ProbeTargetSelector.Select(self, [self], count: 10));
        Assert.Empty(ProbeTargetSelector.Select(self, [], count: 10));
    }

    [Fact]
    public void Select_LargeCluster_ExactlyCountDistinctOthersAndEverySiloWatched()
    {
        var silos = Silos(40);

        var watchers = silos.ToDictionary(s => s, _ => 0);
        foreach (var self in silos)
        {
            var targets = ProbeTargetSelector.Select(self, silos, count: 3);
            Assert.Equal(3, targets.Count);
            Assert.Equal(3, targets.Distinct().Count());
            Assert.DoesNotContain(self, targets);
            foreach (var target in targets)
            {
                watchers[target]++;
            }
        }

        // Each silo's predecessor on ring 0 picks it first, so nobody goes unwatched.
        Assert.All(watchers.Values, count => Assert.True(count >= 1));
        Assert.Equal(40 * 3, watchers.Values.Sum());
    }

    [Fact]
    public void Select_SameInputInAnyOrder_SameTargets()
    {
        var silos = Silos(30);
        var shuffled = silos.OrderBy(s => ProbeTargetSelector.GetRingHash(s, 12345)).ToArray();

        Assert.Equal(ProbeTargetSelector.Select(silos[7], silos, 4), ProbeTargetSelector.Select(silos[7], shuffled, 4));
    }

    [Fact]
    public void GetRingHash_StableAcrossProcessesAndCaseOfHost()
    {
        var silo = new SiloAddress("Node-A.example", 11111, 123456);

        // A fixed value (xxHash32, seed 3, of "node-a.example" + port + generation as little-endian int32s): every
        // process and every version must build the same rings, so this must never depend on the process.
        Assert.Equal(17502160u, ProbeTargetSelector.GetRingHash(silo, 3));
        Assert.Equal(ProbeTargetSelector.GetRingHash(new SiloAddress("node-a.example", 11111, 123456), 3), ProbeTargetSelector.GetRingHash(silo, 3));
        Assert.NotEqual(ProbeTargetSelector.GetRingHash(silo, 3), ProbeTargetSelector.GetRingHash(silo, 4));
        Assert.NotEqual(ProbeTargetSelector.GetRingHash(silo, 3), ProbeTargetSelector.GetRingHash(new SiloAddress("node-a.example", 11111, 123457), 3));
    }

    private static SiloAddress[] Silos(int count)
        => [.. Enumerable.Range(0, count).Select(i => new SiloAddress($"10.0.{i / 250}.{(i % 250) + 1}", 11111, 1000 + i))];
}
