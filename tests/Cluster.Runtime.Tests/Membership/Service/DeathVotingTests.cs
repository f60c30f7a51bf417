using System.Collections.Immutable;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Tests.Membership.Service;

public sealed class DeathVotingTests
{
    private static readonly DateTimeOffset s_now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly ClusterMembershipOptions s_options = new();

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(10, 2)]
    public void GetRequiredVotes_ActiveSilos_MinOfConfiguredAndHalf(int active, int expected)
    {
        var entries = Enumerable.Range(0, active).Select(i => Row(Silo(i), SiloStatus.Active, s_now)).ToArray();

        Assert.Equal(expected, DeathVoting.GetRequiredVotes(entries, s_now, s_options));
    }

    [Fact]
    public void GetRequiredVotes_StaleAndNonActiveRowsDoNotCount()
    {
        var longAgo = s_now - (s_options.StaleAfter + TimeSpan.FromSeconds(1));
        var entries = new[]
        {
            Row(Silo(1), SiloStatus.Active, longAgo),
            Row(Silo(2), SiloStatus.Active, longAgo),
            Row(Silo(3), SiloStatus.Active, longAgo),
            Row(Silo(4), SiloStatus.Joining, s_now),
            Row(Silo(5), SiloStatus.ShuttingDown, s_now),
            Row(Silo(6), SiloStatus.Dead, s_now),
        };

        // Whole-cluster restart: nobody active and fresh, so no vote is needed beyond the joiner's own.
        Assert.Equal(0, DeathVoting.GetRequiredVotes(entries, s_now, s_options));
    }

    [Fact]
    public void GetFreshVotes_DropsExpiredAndKeepsNewestPerVoter()
    {
        var votes = ImmutableArray.Create(
            new SuspectVote(Silo(1), s_now - TimeSpan.FromMinutes(5)),
            new SuspectVote(Silo(2), s_now - TimeSpan.FromSeconds(30)),
            new SuspectVote(Silo(2), s_now - TimeSpan.FromSeconds(10)),
            new SuspectVote(Silo(3), s_now - TimeSpan.FromSeconds(20)));

        var fresh = DeathVoting.GetFreshVotes(votes, s_now, TimeSpan.FromMinutes(2));

        Assert.Equal(
            new[] { new SuspectVote(Silo(3), s_now - TimeSpan.FromSeconds(20)), new SuspectVote(Silo(2), s_now - TimeSpan.FromSeconds(10)) },
            fresh.ToArray());
    }

    [Fact]
    public void GetFreshVotes_VoterClockAhead_AgeMeasuredFromNewestVote()
    {
        // Another voter's clock runs 10 minutes ahead; relative to its vote, the old one has expired.
        var votes = ImmutableArray.Create(
            new SuspectVote(Silo(1), s_now - TimeSpan.FromSeconds(30)),
            new SuspectVote(Silo(2), s_now + TimeSpan.FromMinutes(10)));

        var fresh = DeathVoting.GetFreshVotes(votes, s_now, TimeSpan.FromMinutes(2));

        Assert.Equal([Silo(2)], fresh.Select(v => v.Voter));
    }

    [Fact]
    public void Decide_FirstOfTwoNeededVotes_WritesVote()
    {
        var target = Row(Silo(9), SiloStatus.Active, s_now);

        var decision = DeathVoting.Decide(target, Silo(1), requiredVotes: 2, s_now, s_options);

        Assert.Equal(VoteOutcome.Vote, decision.Outcome);
        Assert.Equal(SiloStatus.Active, decision.Entry!.Status);
        Assert.Equal(new[] { new SuspectVote(Silo(1), s_now) }, decision.Entry.SuspectTimes.ToArray());
    }

    [Fact]
    public void Decide_SecondDistinctVote_DeclaresDeadWithBothVotes()
    {
        var target = Row(Silo(9), SiloStatus.Active, s_now) with { SuspectTimes = [new SuspectVote(Silo(1), s_now - TimeSpan.FromSeconds(3))] };

        var decision = DeathVoting.Decide(target, Silo(2), requiredVotes: 2, s_now, s_options);

        Assert.Equal(VoteOutcome.DeclareDead, decision.Outcome);
        Assert.Equal(SiloStatus.Dead, decision.Entry!.Status);
        Assert.Equal([Silo(1), Silo(2)], decision.Entry.SuspectTimes.Select(v => v.Voter));
    }

    [Fact]
    public void Decide_SameVoterTwice_CountsOnceAndDoesNotRewriteRecentVote()
    {
        var target = Row(Silo(9), SiloStatus.Active, s_now) with { SuspectTimes = [new SuspectVote(Silo(1), s_now - TimeSpan.FromSeconds(3))] };

        var decision = DeathVoting.Decide(target, Silo(1), requiredVotes: 2, s_now, s_options);

        Assert.Equal(VoteOutcome.AlreadyVoted, decision.Outcome);
        Assert.Equal(1, decision.FreshVotes);
        Assert.Null(decision.Entry);
    }

    [Fact]
    public void Decide_ExpiredVoteOfOther_DoesNotCount()
    {
        var target = Row(Silo(9), SiloStatus.Active, s_now) with { SuspectTimes = [new SuspectVote(Silo(1), s_now - TimeSpan.FromMinutes(3))] };

        var decision = DeathVoting.Decide(target, Silo(2), requiredVotes: 2, s_now, s_options);

        Assert.Equal(VoteOutcome.Vote, decision.Outcome);
        Assert.Equal([Silo(2)], decision.Entry!.SuspectTimes.Select(v => v.Voter));
    }

    [Fact]
    public void Decide_OldOwnVote_IsRefreshed()
    {
        var target = Row(Silo(9), SiloStatus.Active, s_now) with { SuspectTimes = [new SuspectVote(Silo(1), s_now - TimeSpan.FromSeconds(90))] };

        var decision = DeathVoting.Decide(target, Silo(1), requiredVotes: 2, s_now, s_options);

        Assert.Equal(VoteOutcome.Vote, decision.Outcome);
        Assert.Equal(new[] { new SuspectVote(Silo(1), s_now) }, decision.Entry!.SuspectTimes.ToArray());
    }

    [Fact]
    public void Decide_OneVoteRequired_DeclaresDeadAlone()
    {
        var decision = DeathVoting.Decide(Row(Silo(9), SiloStatus.Active, s_now), Silo(1), requiredVotes: 1, s_now, s_options);

        Assert.Equal(VoteOutcome.DeclareDead, decision.Outcome);
    }

    private static SiloAddress Silo(int i) => new("10.0.0.1", 11_000 + i, 100);

    private static MembershipEntry Row(SiloAddress silo, SiloStatus status, DateTimeOffset iAmAlive)
        => new() { SiloAddress = silo, Status = status, StartTime = iAmAlive, IAmAliveTime = iAmAlive };
}
