using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Membership;

/// <summary>A vote that a silo is dead: who voted and when (orleans-runtime.md §1.5). Fresh votes count toward death.</summary>
/// <param name="Voter">The silo that suspects the row's silo.</param>
/// <param name="Time">When it voted (UTC).</param>
public readonly record struct SuspectVote(SiloAddress Voter, DateTimeOffset Time);
