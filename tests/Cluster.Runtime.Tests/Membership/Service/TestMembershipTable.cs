using System.Collections.Concurrent;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Tests.Membership.Service;

/// <summary>
/// The real <see cref="InMemoryMembershipTable"/> behind a switch that makes every call throw (the store is down), a
/// record of every row write, and an optional gate that holds full reads.
/// </summary>
internal sealed class TestMembershipTable : IMembershipTable
{
    private readonly InMemoryMembershipTable _inner = new(isShared: true);
    private volatile bool _isDown;
    private volatile TaskCompletionSource? _readGate;
    private int _readAllCount;

    public bool IsShared => _inner.IsShared;

    /// <summary>The real table, without the switch or the record.</summary>
    public InMemoryMembershipTable Inner => _inner;

    public bool IsDown
    {
        get => _isDown;
        set => _isDown = value;
    }

    /// <summary>Every insert and update that succeeded, in order.</summary>
    public ConcurrentQueue<MembershipEntry> Writes { get; } = new();

    public int ReadAllCount => Volatile.Read(ref _readAllCount);

    /// <summary>While set, full reads wait for it before answering (with what they read before waiting).</summary>
    public TaskCompletionSource? ReadGate
    {
        get => _readGate;
        set => _readGate = value;
    }

    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return _inner.InitializeAsync(cancellationToken);
    }

    public async Task<MembershipTableData> ReadAllAsync(CancellationToken cancellationToken)
    {
        ThrowIfDown();
        Interlocked.Increment(ref _readAllCount);
        var data = await _inner.ReadAllAsync(cancellationToken);

        // Held after reading, so a held read answers with what the table held when it started.
        if (_readGate is { } gate)
        {
            await gate.Task.WaitAsync(cancellationToken);
        }

        return data;
    }

    public Task<MembershipTableData> ReadRowAsync(SiloAddress siloAddress, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return _inner.ReadRowAsync(siloAddress, cancellationToken);
    }

    public async Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion version, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        var inserted = await _inner.InsertRowAsync(entry, version, cancellationToken);
        if (inserted)
        {
            Writes.Enqueue(entry);
        }

        return inserted;
    }

    public async Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion version, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        var updated = await _inner.UpdateRowAsync(entry, etag, version, cancellationToken);
        if (updated)
        {
            Writes.Enqueue(entry);
        }

        return updated;
    }

    public Task UpdateIAmAliveAsync(SiloAddress siloAddress, DateTimeOffset iAmAliveTime, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return _inner.UpdateIAmAliveAsync(siloAddress, iAmAliveTime, cancellationToken);
    }

    public Task<int> CleanupDefunctEntriesAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return _inner.CleanupDefunctEntriesAsync(olderThan, cancellationToken);
    }

    public Task DeleteClusterAsync(CancellationToken cancellationToken)
    {
        ThrowIfDown();
        return _inner.DeleteClusterAsync(cancellationToken);
    }

    /// <summary>The row of <paramref name="silo"/>, or null.</summary>
    public async Task<MembershipEntry?> GetRowAsync(SiloAddress silo)
    {
        var data = await _inner.ReadRowAsync(silo, CancellationToken.None);
        return data.Entries.IsEmpty ? null : data.Entries[0].Entry;
    }

    public async Task<int> GetVersionAsync() => (await _inner.ReadAllAsync(CancellationToken.None)).Version.Version;

    /// <summary>Inserts a row as another process would (bypassing the down switch and the write record).</summary>
    public async Task<int> InsertAsync(MembershipEntry entry)
    {
        while (true)
        {
            var data = await _inner.ReadAllAsync(CancellationToken.None);
            var next = data.Version.Next();
            if (await _inner.InsertRowAsync(entry, next, CancellationToken.None))
            {
                return next.Version;
            }
        }
    }

    /// <summary>Writes a row's status as another process would (bypassing the down switch and the write record).</summary>
    public async Task<int> WriteStatusAsync(SiloAddress silo, SiloStatus status)
    {
        while (true)
        {
            var data = await _inner.ReadRowAsync(silo, CancellationToken.None);
            var (entry, etag) = data.Entries.Single();
            var next = data.Version.Next();
            if (await _inner.UpdateRowAsync(entry with { Status = status }, etag, next, CancellationToken.None))
            {
                return next.Version;
            }
        }
    }

    private void ThrowIfDown()
    {
        if (_isDown)
        {
            throw new TimeoutException("The membership store is down (test).");
        }
    }
}
