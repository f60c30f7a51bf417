using System.Collections.Immutable;
using System.Globalization;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Membership;

/// <summary>
/// A membership table held in this process: one instance is one cluster's table. It keeps the same rules as the
/// PostgreSQL table (compare-and-swap on the table version, a per-row etag that changes on every row write, statuses
/// that only move forward, <see cref="SiloStatus.Dead"/> final), so the membership protocol behaves alike on both.
/// Several silos of one process may share an instance.
/// </summary>
public sealed class InMemoryMembershipTable : IMembershipTable
{
    // A lock is fine: membership writes are rare (joins, votes, status changes) and never on a call's path.
    private readonly Lock _lock = new();
    private readonly Dictionary<SiloAddress, Row> _rows = [];
    private int _version;

    /// <summary>Creates an empty table (version 0).</summary>
    /// <param name="isShared">
    /// Whether silos that use this table may be peers of each other (an in-process test cluster of several silos), so
    /// they open the cluster transport; <see langword="false"/> for a single embedded silo.
    /// </param>
    public InMemoryMembershipTable(bool isShared = false) => IsShared = isShared;

    /// <inheritdoc />
    public bool IsShared { get; }

    /// <inheritdoc />
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var entries = ImmutableArray.CreateBuilder<(MembershipEntry Entry, string ETag)>(_rows.Count);
            foreach (var row in _rows.Values)
            {
                entries.Add((row.Entry, FormatETag(row.ETag)));
            }

            return Task.FromResult(new MembershipTableData(entries.MoveToImmutable(), CurrentVersion()));
        }
    }

    /// <inheritdoc />
    public Task<MembershipTableData> ReadRowAsync(SiloAddress siloAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(siloAddress);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var entries = _rows.TryGetValue(siloAddress, out var row)
                ? ImmutableArray.Create((row.Entry, FormatETag(row.ETag)))
                : [];
            return Task.FromResult(new MembershipTableData(entries, CurrentVersion()));
        }
    }

    /// <inheritdoc />
    public Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_version != version.Version - 1 || _rows.ContainsKey(entry.SiloAddress))
            {
                return Task.FromResult(false);
            }

            _version = version.Version;

            // The row's etag is the table version that last wrote it: unique per write, so a stale etag never matches.
            _rows.Add(entry.SiloAddress, new Row(entry, _version));
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    public Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(etag);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_version != version.Version - 1
                || !_rows.TryGetValue(entry.SiloAddress, out var row)
                || !string.Equals(FormatETag(row.ETag), etag, StringComparison.Ordinal)
                || row.Entry.Status == SiloStatus.Dead
                || entry.Status < row.Entry.Status)
            {
                return Task.FromResult(false);
            }

            _version = version.Version;
            _rows[entry.SiloAddress] = new Row(entry, _version);
            return Task.FromResult(true);
        }
    }

    /// <inheritdoc />
    /// <remarks>A silo without a row is ignored, as an <c>UPDATE</c> that matches no row would be.</remarks>
    public Task UpdateIAmAliveAsync(SiloAddress siloAddress, DateTimeOffset iAmAliveTime, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(siloAddress);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (_rows.TryGetValue(siloAddress, out var row))
            {
                _rows[siloAddress] = row with { Entry = row.Entry with { IAmAliveTime = iAmAliveTime } };
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> CleanupDefunctEntriesAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            List<SiloAddress>? defunct = null;
            foreach (var (address, row) in _rows)
            {
                if (row.Entry.Status != SiloStatus.Active && row.Entry.EffectiveIAmAliveTime < olderThan)
                {
                    (defunct ??= []).Add(address);
                }
            }

            if (defunct is null)
            {
                return Task.FromResult(0);
            }

            foreach (var address in defunct)
            {
                _rows.Remove(address);
            }

            return Task.FromResult(defunct.Count);
        }
    }

    /// <inheritdoc />
    public Task DeleteClusterAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            _rows.Clear();
            _version = 0;
        }

        return Task.CompletedTask;
    }

    private TableVersion CurrentVersion() => new(_version, FormatETag(_version));

    private static string FormatETag(int value) => value.ToString(CultureInfo.InvariantCulture);

    private readonly record struct Row(MembershipEntry Entry, int ETag);
}
