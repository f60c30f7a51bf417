namespace Cluster.Runtime.Membership;

/// <summary>The result of <see cref="DeathVoting.Decide"/>.</summary>
/// <param name="Outcome">What to write.</param>
/// <param name="Entry">The row to write (compare-and-swap), or <see langword="null"/> for <see cref="VoteOutcome.AlreadyVoted"/>.</param>
/// <param name="FreshVotes">Fresh votes counting this voter's.</param>
/// <param name="RequiredVotes">Votes needed to declare the silo dead.</param>
internal readonly record struct VoteDecision(VoteOutcome Outcome, MembershipEntry? Entry, int FreshVotes, int RequiredVotes);
