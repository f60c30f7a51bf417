using System.Collections.Immutable;

namespace Cluster.Runtime.Membership;

/// <summary>What a read of the membership table returns: rows with their etags, and the table's version.</summary>
/// <param name="Entries">The rows read (all, or the one asked for; possibly none).</param>
/// <param name="Version">The table version at the time of the read.</param>
public sealed record MembershipTableData(ImmutableArray<(MembershipEntry Entry, string ETag)> Entries, TableVersion Version);
