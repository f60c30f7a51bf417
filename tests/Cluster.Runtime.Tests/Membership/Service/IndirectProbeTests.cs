using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Tests.Membership.Service;

/// <summary>Indirect probes in a three-silo cluster on the fake network (orleans-runtime.md §1.5).</summary>
public sealed class IndirectProbeTests
{
    [Fact]
    public async Task DirectPathBroken_IntermediaryReachesTarget_ProbeSucceedsAndNoVote()
    {
        await using var cluster = new MembershipTestCluster();
        var nodes = await cluster.StartSilosAsync(3);
        var (observer, intermediary, target) = (nodes[0], nodes[1], nodes[2]);

        // Only the observer's own path to the target is broken.
        cluster.Network.Block(observer.Address, target.Address);

        // Several direct, direct, indirect cycles, each indirect probe going through the only other healthy silo.
        await Waits.UntilAsync(
            () => observer.Transport.IndirectProbes.Count(p => p.Target.Equals(target.Address)) >= 3,
            "three indirect probes of the target");
        Assert.All(
            observer.Transport.IndirectProbes.Where(p => p.Target.Equals(target.Address)),
            p =>
            {
                Assert.Equal(intermediary.Address, p.Intermediary);
                Assert.True(p.Reached);
            });

        var table = await cluster.ReadTableAsync();
        Assert.Equal(SiloStatus.Active, table.GetStatus(target.Address));
        Assert.False(HasVoteFrom(table, target.Address, observer.Address), "The observer voted against a silo its intermediary reached.");
    }

    [Fact]
    public async Task DirectPathBroken_IndirectProbesDisabled_ObserverVotes()
    {
        // The control of the test above: without indirect probes, the same broken path turns into a vote.
        await using var cluster = new MembershipTestCluster(o => o.EnableIndirectProbes = false);
        var nodes = await cluster.StartSilosAsync(3);
        var (observer, target) = (nodes[0], nodes[2]);

        cluster.Network.Block(observer.Address, target.Address);

        await cluster.WaitForTableAsync(t => HasVoteFrom(t, target.Address, observer.Address), $"a vote from {observer} against {target}");
        Assert.Empty(observer.Transport.IndirectProbes);
    }

    [Fact]
    public async Task TargetKilled_IndirectProbeFails_StillDeclaredDead()
    {
        await using var cluster = new MembershipTestCluster();
        var nodes = await cluster.StartSilosAsync(3);
        var (a, b, victim) = (nodes[0], nodes[1], nodes[2]);

        await cluster.KillAsync(victim);

        await cluster.WaitForTableAsync(t => t.GetStatus(victim.Address) == SiloStatus.Dead, $"{victim} Dead");
        var table = await cluster.ReadTableAsync();
        Assert.True(HasVoteFrom(table, victim.Address, a.Address) && HasVoteFrom(table, victim.Address, b.Address));

        // Each survivor's last probe before its vote went through the other, and failed.
        Assert.Contains((b.Address, victim.Address, false), a.Transport.IndirectProbes);
        Assert.Contains((a.Address, victim.Address, false), b.Transport.IndirectProbes);
    }

    private static bool HasVoteFrom(MembershipSnapshot table, SiloAddress suspect, SiloAddress voter)
        => table.TryGetEntry(suspect, out var row) && row.SuspectTimes.Any(v => v.Voter.Equals(voter));
}
