using System.Collections.Immutable;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Membership;

/// <summary>
/// The vote rule of orleans-runtime.md §1.5, pure so it can be reasoned about and tested apart from the table: fresh
/// votes from distinct silos, and min(<see cref="ClusterMembershipOptions.NumVotesForDeathDeclaration"/>,
/// (active non-stale silos + 1) / 2) of them declare a silo dead.
/// </summary>
internal static class DeathVoting
{
    /// <summary>
    /// The votes still fresh, one per voter (its newest), oldest first. Age is measured from the later of
    /// <paramref name="now"/> and the newest vote, so a voter whose clock runs ahead cannot keep old votes alive for us.
    /// </summary>
    public static ImmutableArray<SuspectVote> GetFreshVotes(ImmutableArray<SuspectVote> votes, DateTimeOffset now, TimeSpan expiration)
    {
        if (votes.IsDefaultOrEmpty)
        {
            return [];
        }

        var reference = now;
        foreach (var vote in votes)
        {
            if (vote.Time > reference)
            {
                reference = vote.Time;
            }
        }

        var newestByVoter = new Dictionary<SiloAddress, SuspectVote>();
        foreach (var vote in votes)
        {
            if (reference - vote.Time < expiration
                && (!newestByVoter.TryGetValue(vote.Voter, out var existing) || vote.Time > existing.Time))
            {
                newestByVoter[vote.Voter] = vote;
            }
        }

        return [.. newestByVoter.Values.OrderBy(static vote => vote.Time)];
    }

    /// <summary>How many fresh votes declare a silo dead, given every row of the table as just read.</summary>
    public static int GetRequiredVotes(IEnumerable<MembershipEntry> entries, DateTimeOffset now, ClusterMembershipOptions options)
    {
        var activeNonStale = 0;
        foreach (var entry in entries)
        {
            if (entry.Status == SiloStatus.Active && !entry.IsStale(now, options))
            {
                activeNonStale++;
            }
        }

        // With every other row stale (the whole cluster restarted) this is 0, so one joining silo can clean up alone.
        return Math.Min(options.NumVotesForDeathDeclaration, (activeNonStale + 1) / 2);
    }

    /// <summary>What <paramref name="voter"/> should write to <paramref name="target"/>'s row, if anything.</summary>
    public static VoteDecision Decide(
        MembershipEntry target, SiloAddress voter, int requiredVotes, DateTimeOffset now, ClusterMembershipOptions options)
    {
        var fresh = GetFreshVotes(target.SuspectTimes, now, options.DeathVoteExpiration);
        var votes = ImmutableArray.CreateBuilder<SuspectVote>(fresh.Length + 1);
        SuspectVote? mine = null;
        foreach (var vote in fresh)
        {
            if (vote.Voter.Equals(voter))
            {
                mine = vote;
            }
            else
            {
                votes.Add(vote);
            }
        }

        votes.Add(new SuspectVote(voter, now));
        if (votes.Count >= requiredVotes)
        {
            return new VoteDecision(VoteOutcome.DeclareDead, target with { Status = SiloStatus.Dead, SuspectTimes = votes.ToImmutable() }, votes.Count, requiredVotes);
        }

        // Re-writing an unchanged, recent vote would only bump the version and wake every peer; the kill decision is
        // taken by whichever voter adds the vote that completes the count.
        if (mine is { } existing && now - existing.Time < options.DeathVoteExpiration / 2)
        {
            return new VoteDecision(VoteOutcome.AlreadyVoted, null, votes.Count, requiredVotes);
        }

        return new VoteDecision(VoteOutcome.Vote, target with { SuspectTimes = votes.ToImmutable() }, votes.Count, requiredVotes);
    }
}
