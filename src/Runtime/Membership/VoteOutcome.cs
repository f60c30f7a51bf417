namespace Cluster.Runtime.Membership;

/// <summary>What a silo that lost contact with a peer writes to the peer's row.</summary>
internal enum VoteOutcome
{
    /// <summary>Nothing: this voter's fresh vote is already there and the count is still short.</summary>
    AlreadyVoted,

    /// <summary>Add or refresh this voter's vote; the count is still short.</summary>
    Vote,

    /// <summary>This vote completes the count: write the row Dead.</summary>
    DeclareDead,
}
