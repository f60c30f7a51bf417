using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Membership;

/// <summary>
/// The cluster's membership store: a linearizable, versioned table of silos (orleans-runtime.md §1.2). One instance
/// serves one cluster id. Every write that changes a row's status or votes is conditioned on the table version the
/// writer read and bumps it by one; a conflict returns <see langword="false"/> and the writer re-reads. A provider
/// never fakes success: when the store is unreachable the call throws.
/// </summary>
public interface IMembershipTable
{
    /// <summary>
    /// Whether other processes can see this table (a database), as opposed to a table private to this process. Silos
    /// open the cluster transport only when they can have peers.
    /// </summary>
    bool IsShared { get; }

    /// <summary>Creates the schema and the cluster's version row if they are missing. Safe to call concurrently and repeatedly.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Reads every row of the cluster and the table version, consistently.</summary>
    Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>Reads one silo's row (no entries if it has none) and the table version.</summary>
    Task<MembershipTableData> ReadRowAsync(SiloAddress siloAddress, CancellationToken cancellationToken);

    /// <summary>
    /// Inserts a row if no row has its address and the table is still at <c>version.Version - 1</c>; then the table is
    /// at <paramref name="version"/>. Returns whether both held.
    /// </summary>
    Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces the row of <c>entry.SiloAddress</c> if its etag is still <paramref name="etag"/>, the table is still at
    /// <c>version.Version - 1</c>, and the new status is not behind the stored one; then the table is at
    /// <paramref name="version"/>. Returns whether all held.
    /// </summary>
    Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken);

    /// <summary>Writes the row's I-am-alive time only; neither the table version nor the row's etag changes.</summary>
    Task UpdateIAmAliveAsync(SiloAddress siloAddress, DateTimeOffset iAmAliveTime, CancellationToken cancellationToken);

    /// <summary>Deletes rows that are not Active and whose effective I-am-alive time is before <paramref name="olderThan"/>; returns how many.</summary>
    Task<int> CleanupDefunctEntriesAsync(DateTimeOffset olderThan, CancellationToken cancellationToken);

    /// <summary>Deletes the cluster's rows and version (tests and tear-down).</summary>
    Task DeleteClusterAsync(CancellationToken cancellationToken);
}
