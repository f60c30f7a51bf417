using System.Collections.Concurrent;
using System.Collections.Immutable;
using Cluster.Runtime.Hosting;
using Cluster.Runtime.Identity;
using Cluster.Runtime.Membership;

namespace Cluster.Runtime.Tests.Membership.Table;

/// <summary>
/// The contract of <see cref="IMembershipTable"/> (orleans-runtime.md §1.2, §8 P0.2): every provider inherits these
/// cases and must pass all of them. Each test works on its own cluster id, so tests never see each other's rows.
/// </summary>
public abstract class MembershipTableContractTests : IAsyncLifetime
{
    // Generous: the Postgres cases run on a shared, slow machine. A bound is there so a hang fails, not to time anything.
    protected static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(60);

    private static readonly DateTimeOffset s_t0 = new(2026, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    private readonly List<IMembershipTable> _tables = [];
    private IMembershipTable? _sut;

    /// <summary>The table under test, for a fresh cluster id, initialized.</summary>
    protected IMembershipTable Sut => _sut ?? throw new InvalidOperationException("Not initialized.");

    protected string ClusterId { get; } = "contract-" + Guid.NewGuid().ToString("N")[..12];

    public async Task InitializeAsync()
    {
        _sut = NewTable(ClusterId);
        await _sut.InitializeAsync(CancellationToken.None).WaitAsync(WaitLimit);
    }

    public async Task DisposeAsync()
    {
        foreach (var table in _tables)
        {
            switch (table)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    /// <summary>Creates a table for <paramref name="clusterId"/> (not yet initialized); tables of one store share rows per cluster id.</summary>
    protected abstract IMembershipTable CreateTable(string clusterId);

    /// <summary>Creates a table with <see cref="CreateTable"/> and disposes it after the test.</summary>
    protected IMembershipTable NewTable(string clusterId) => Track(CreateTable(clusterId));

    /// <summary>Disposes <paramref name="table"/> after the test.</summary>
    protected T Track<T>(T table)
        where T : IMembershipTable
    {
        _tables.Add(table);
        return table;
    }

    [Fact]
    public async Task InitializeAsync_CalledAgainAndConcurrently_IsFine()
    {
        // Act
        await Sut.InitializeAsync(CancellationToken.None).WaitAsync(WaitLimit);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Sut.InitializeAsync(CancellationToken.None))).WaitAsync(WaitLimit);

        // Assert
        var data = await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Empty(data.Entries);
        Assert.Equal(0, data.Version.Version);
    }

    [Fact]
    public async Task ReadAllAsync_EmptyTable_ReturnsVersionZero()
    {
        var all = await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);
        var one = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);

        Assert.Empty(all.Entries);
        Assert.Equal(0, all.Version.Version);
        Assert.Empty(one.Entries);
        Assert.Equal(0, one.Version.Version);
    }

    [Fact]
    public async Task InsertRowAsync_ThenRead_RoundTripsEveryField()
    {
        // Arrange: times to the millisecond, one given at a non-UTC offset (the same instant must come back).
        var entry = new MembershipEntry
        {
            SiloAddress = new SiloAddress("10.1.2.3", 11111, 123456),
            Status = SiloStatus.Joining,
            SuspectTimes = [new SuspectVote(Address(7), s_t0.AddSeconds(-3)), new SuspectVote(new SiloAddress("silo-b.local", 22222, 99), s_t0.AddMilliseconds(-1))],
            SiloName = "silo-0 ünïcode",
            HostName = "host-a",
            StartTime = new DateTimeOffset(2026, 3, 14, 17, 0, 0, 123, TimeSpan.FromHours(2)),
            IAmAliveTime = s_t0,
        };

        // Act
        var inserted = await Sut.InsertRowAsync(entry, new TableVersion(1, "0"), CancellationToken.None).WaitAsync(WaitLimit);
        var all = await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);
        var one = await Sut.ReadRowAsync(entry.SiloAddress, CancellationToken.None).WaitAsync(WaitLimit);

        // Assert
        Assert.True(inserted);
        Assert.Equal(1, all.Version.Version);
        Assert.Equal(1, one.Version.Version);
        AssertSameEntry(entry, Assert.Single(all.Entries).Entry);
        AssertSameEntry(entry, Assert.Single(one.Entries).Entry);
        Assert.Equal(all.Entries[0].ETag, one.Entries[0].ETag);
    }

    [Fact]
    public async Task InsertRowAsync_EmptySuspectTimesAndDefaultTimes_RoundTrip()
    {
        var entry = new MembershipEntry { SiloAddress = Address(1), Status = SiloStatus.Created };

        Assert.True(await Sut.InsertRowAsync(entry, new TableVersion(1, "0"), CancellationToken.None).WaitAsync(WaitLimit));

        var read = Assert.Single((await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit)).Entries).Entry;
        AssertSameEntry(entry, read);
    }

    [Fact]
    public async Task ReadRowAsync_SeveralRows_ReturnsOnlyThatRowAndTheVersion()
    {
        await InsertAsync(Entry(1, SiloStatus.Active), 1);
        await InsertAsync(Entry(2, SiloStatus.Active), 2);

        var data = await Sut.ReadRowAsync(Address(2), CancellationToken.None).WaitAsync(WaitLimit);

        Assert.Equal(2, data.Version.Version);
        Assert.Equal(Address(2), Assert.Single(data.Entries).Entry.SiloAddress);
    }

    [Fact]
    public async Task ReadRowAsync_HostInOtherCase_FindsTheRow()
    {
        // SiloAddress compares hosts case-insensitively; the table must agree.
        await InsertAsync(Entry(new SiloAddress("Silo-A.Example", 11111, 5), SiloStatus.Active), 1);

        var data = await Sut.ReadRowAsync(new SiloAddress("silo-a.example", 11111, 5), CancellationToken.None).WaitAsync(WaitLimit);

        Assert.Equal("Silo-A.Example", Assert.Single(data.Entries).Entry.SiloAddress.Host);
    }

    [Fact]
    public async Task InsertRowAsync_StaleVersion_ReturnsFalseAndWritesNothing()
    {
        // Arrange: the table is at version 1.
        await InsertAsync(Entry(1, SiloStatus.Active), 1);

        // Act: a writer that read version 0, and one that proposes a version too far ahead.
        var stale = await Sut.InsertRowAsync(Entry(2, SiloStatus.Joining), new TableVersion(1, "0"), CancellationToken.None).WaitAsync(WaitLimit);
        var ahead = await Sut.InsertRowAsync(Entry(3, SiloStatus.Joining), new TableVersion(3, "2"), CancellationToken.None).WaitAsync(WaitLimit);

        // Assert
        Assert.False(stale);
        Assert.False(ahead);
        var data = await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(1, data.Version.Version);
        Assert.Equal(Address(1), Assert.Single(data.Entries).Entry.SiloAddress);
    }

    [Fact]
    public async Task InsertRowAsync_DuplicateAddress_ReturnsFalseAndKeepsVersion()
    {
        await InsertAsync(Entry(1, SiloStatus.Joining), 1);

        var duplicate = await Sut.InsertRowAsync(Entry(1, SiloStatus.Active), new TableVersion(2, "1"), CancellationToken.None).WaitAsync(WaitLimit);

        Assert.False(duplicate);
        var data = await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(1, data.Version.Version);
        Assert.Equal(SiloStatus.Joining, Assert.Single(data.Entries).Entry.Status);
    }

    [Fact]
    public async Task UpdateRowAsync_CurrentETagAndVersion_ReplacesRowBumpsVersionAndChangesETag()
    {
        await InsertAsync(Entry(1, SiloStatus.Joining), 1);
        var before = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        var (entry, etag) = Assert.Single(before.Entries);
        var updated = entry with
        {
            Status = SiloStatus.Active,
            SuspectTimes = [new SuspectVote(Address(9), s_t0)],
            IAmAliveTime = s_t0.AddMinutes(1),
            SiloName = "renamed",
        };

        var result = await Sut.UpdateRowAsync(updated, etag, before.Version.Next(), CancellationToken.None).WaitAsync(WaitLimit);

        Assert.True(result);
        var after = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(2, after.Version.Version);
        var (read, newETag) = Assert.Single(after.Entries);
        AssertSameEntry(updated, read);
        Assert.NotEqual(etag, newETag);
    }

    [Fact]
    public async Task UpdateRowAsync_StaleETag_ReturnsFalseAndWritesNothing()
    {
        // Arrange: the row was updated after the writer read its etag.
        await InsertAsync(Entry(1, SiloStatus.Joining), 1);
        var first = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        var (entry, staleETag) = first.Entries[0];
        Assert.True(await Sut.UpdateRowAsync(entry with { Status = SiloStatus.Active }, staleETag, first.Version.Next(), CancellationToken.None).WaitAsync(WaitLimit));

        // Act: the current version, but the old etag.
        var result = await Sut.UpdateRowAsync(entry with { Status = SiloStatus.Dead }, staleETag, new TableVersion(3, "2"), CancellationToken.None).WaitAsync(WaitLimit);
        var unknownETag = await Sut.UpdateRowAsync(entry with { Status = SiloStatus.Dead }, "not-an-etag", new TableVersion(3, "2"), CancellationToken.None).WaitAsync(WaitLimit);

        // Assert
        Assert.False(result);
        Assert.False(unknownETag);
        var data = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(2, data.Version.Version);
        Assert.Equal(SiloStatus.Active, data.Entries[0].Entry.Status);
    }

    [Fact]
    public async Task UpdateRowAsync_StaleVersion_ReturnsFalseAndWritesNothing()
    {
        // Arrange: another silo's insert moved the table on after the writer's read.
        await InsertAsync(Entry(1, SiloStatus.Joining), 1);
        var read = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        await InsertAsync(Entry(2, SiloStatus.Joining), 2);
        var (entry, etag) = read.Entries[0];

        // Act
        var result = await Sut.UpdateRowAsync(entry with { Status = SiloStatus.Active }, etag, read.Version.Next(), CancellationToken.None).WaitAsync(WaitLimit);

        // Assert
        Assert.False(result);
        var data = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(2, data.Version.Version);
        Assert.Equal(SiloStatus.Joining, data.Entries[0].Entry.Status);
        Assert.Equal(etag, data.Entries[0].ETag);
    }

    [Fact]
    public async Task UpdateRowAsync_MissingRow_ReturnsFalse()
    {
        await InsertAsync(Entry(1, SiloStatus.Active), 1);
        var etag = (await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit)).Entries[0].ETag;

        var result = await Sut.UpdateRowAsync(Entry(2, SiloStatus.Active), etag, new TableVersion(2, "1"), CancellationToken.None).WaitAsync(WaitLimit);

        Assert.False(result);
        Assert.Equal(1, (await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit)).Version.Version);
    }

    [Fact]
    public async Task UpdateRowAsync_StatusBackwards_ReturnsFalse()
    {
        await InsertAsync(Entry(1, SiloStatus.Active), 1);
        var read = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        var (entry, etag) = read.Entries[0];

        var backwards = await Sut.UpdateRowAsync(entry with { Status = SiloStatus.Joining }, etag, read.Version.Next(), CancellationToken.None).WaitAsync(WaitLimit);
        var same = await Sut.UpdateRowAsync(entry with { SuspectTimes = [new SuspectVote(Address(2), s_t0)] }, etag, read.Version.Next(), CancellationToken.None).WaitAsync(WaitLimit);

        // Backwards is refused and writes nothing; the same status with a new vote is a normal update.
        Assert.False(backwards);
        Assert.True(same);
        var data = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(2, data.Version.Version);
        Assert.Equal(SiloStatus.Active, data.Entries[0].Entry.Status);
        Assert.Single(data.Entries[0].Entry.SuspectTimes);
    }

    [Fact]
    public async Task UpdateRowAsync_DeadRow_IsFinal()
    {
        // Arrange: the row is declared dead.
        await InsertAsync(Entry(1, SiloStatus.Active), 1);
        var read = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        Assert.True(await Sut.UpdateRowAsync(read.Entries[0].Entry with { Status = SiloStatus.Dead }, read.Entries[0].ETag, read.Version.Next(), CancellationToken.None).WaitAsync(WaitLimit));
        var dead = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        var (entry, etag) = dead.Entries[0];

        // Act: with the current etag and version, try to revive it and to touch it while it stays dead.
        var revive = await Sut.UpdateRowAsync(entry with { Status = SiloStatus.Active }, etag, dead.Version.Next(), CancellationToken.None).WaitAsync(WaitLimit);
        var touch = await Sut.UpdateRowAsync(entry with { SuspectTimes = [new SuspectVote(Address(2), s_t0)] }, etag, dead.Version.Next(), CancellationToken.None).WaitAsync(WaitLimit);

        // Assert
        Assert.False(revive);
        Assert.False(touch);
        var data = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(2, data.Version.Version);
        Assert.Equal(SiloStatus.Dead, data.Entries[0].Entry.Status);
        Assert.Empty(data.Entries[0].Entry.SuspectTimes);
    }

    [Fact]
    public async Task UpdateIAmAliveAsync_ChangesNeitherVersionNorETag()
    {
        // Arrange
        await InsertAsync(Entry(1, SiloStatus.Active), 1);
        var before = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        var alive = s_t0.AddMinutes(5);

        // Act
        await Sut.UpdateIAmAliveAsync(Address(1), alive, CancellationToken.None).WaitAsync(WaitLimit);
        await Sut.UpdateIAmAliveAsync(Address(42), alive, CancellationToken.None).WaitAsync(WaitLimit);

        // Assert: the time moved; the version and etag did not, so a writer that read before can still write.
        var after = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(before.Version.Version, after.Version.Version);
        Assert.Equal(before.Entries[0].ETag, after.Entries[0].ETag);
        Assert.Equal(alive, after.Entries[0].Entry.IAmAliveTime);
        Assert.Single((await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit)).Entries);
        var update = before.Entries[0].Entry with { Status = SiloStatus.ShuttingDown, IAmAliveTime = alive };
        Assert.True(await Sut.UpdateRowAsync(update, before.Entries[0].ETag, before.Version.Next(), CancellationToken.None).WaitAsync(WaitLimit));
    }

    [Fact]
    public async Task UpdateRowAsync_FiftyConcurrentWriters_OneWinnerPerVersionNoLostUpdate()
    {
        // Arrange: one row; every writer starts from the same read, so all but one must lose the first round.
        const int Writers = 50;
        await InsertAsync(Entry(1, SiloStatus.Active), 1);
        var firstRead = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        var wonVersions = new ConcurrentBag<int>();
        var attempts = 0;

        async Task WriteVoteAsync(int writer)
        {
            var vote = new SuspectVote(new SiloAddress("10.9.0." + writer, 11111, 1), s_t0.AddSeconds(writer));
            var read = firstRead;
            while (true)
            {
                Interlocked.Increment(ref attempts);
                var (entry, etag) = Assert.Single(read.Entries);
                var proposed = read.Version.Next();
                if (await Sut.UpdateRowAsync(entry with { SuspectTimes = entry.SuspectTimes.Add(vote) }, etag, proposed, CancellationToken.None))
                {
                    wonVersions.Add(proposed.Version);
                    return;
                }

                read = await Sut.ReadRowAsync(Address(1), CancellationToken.None);
            }
        }

        // Act
        var writers = Enumerable.Range(1, Writers).Select(i => Task.Run(() => WriteVoteAsync(i))).ToArray();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromMinutes(3));

        // Assert: versions 2..51 were each won exactly once, and every vote is in the row once.
        Assert.Equal(Enumerable.Range(2, Writers), wonVersions.Order());
        Assert.True(attempts >= 2 * Writers - 1, $"Only {attempts} attempts: the writers did not race.");
        var data = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(1 + Writers, data.Version.Version);
        var voters = data.Entries[0].Entry.SuspectTimes.Select(static v => v.Voter.Host).Order(StringComparer.Ordinal);
        Assert.Equal(Enumerable.Range(1, Writers).Select(static i => "10.9.0." + i).Order(StringComparer.Ordinal), voters);
    }

    [Fact]
    public async Task InsertRowAsync_FiftyConcurrentInserters_EachRowOnceVersionsStrictlyIncreasing()
    {
        // Arrange
        const int Inserters = 50;
        var wonVersions = new ConcurrentBag<int>();
        var firstRead = await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);

        async Task InsertOwnRowAsync(int inserter)
        {
            var version = firstRead.Version;
            while (true)
            {
                var proposed = version.Next();
                if (await Sut.InsertRowAsync(Entry(inserter, SiloStatus.Joining), proposed, CancellationToken.None))
                {
                    wonVersions.Add(proposed.Version);
                    return;
                }

                version = (await Sut.ReadAllAsync(CancellationToken.None)).Version;
            }
        }

        // Act
        var inserters = Enumerable.Range(1, Inserters).Select(i => Task.Run(() => InsertOwnRowAsync(i))).ToArray();
        await Task.WhenAll(inserters).WaitAsync(TimeSpan.FromMinutes(3));

        // Assert
        Assert.Equal(Enumerable.Range(1, Inserters), wonVersions.Order());
        var data = await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(Inserters, data.Version.Version);
        Assert.Equal(Enumerable.Range(1, Inserters), data.Entries.Select(static e => e.Entry.SiloAddress.Port - 10000).Order());
    }

    [Fact]
    public async Task CleanupDefunctEntriesAsync_RemovesOnlyOldRowsThatAreNotActive()
    {
        // Arrange: the cutoff is t0; "old" rows last showed life an hour before it.
        var old = s_t0.AddHours(-1);
        await InsertAsync(Entry(1, SiloStatus.Dead) with { StartTime = old.AddHours(-1), IAmAliveTime = old }, 1);
        await InsertAsync(Entry(2, SiloStatus.ShuttingDown) with { StartTime = old, IAmAliveTime = default }, 2);
        await InsertAsync(Entry(3, SiloStatus.Active) with { StartTime = old, IAmAliveTime = old }, 3);
        await InsertAsync(Entry(4, SiloStatus.Dead) with { StartTime = old, IAmAliveTime = s_t0.AddSeconds(1) }, 4);
        await InsertAsync(Entry(5, SiloStatus.Joining) with { StartTime = s_t0.AddSeconds(1), IAmAliveTime = old }, 5);

        // Act
        var removed = await Sut.CleanupDefunctEntriesAsync(s_t0, CancellationToken.None).WaitAsync(WaitLimit);

        // Assert: the old Dead and ShuttingDown rows went; Active and recently alive or started rows stayed.
        Assert.Equal(2, removed);
        var data = await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(new[] { 3, 4, 5 }, data.Entries.Select(static e => e.Entry.SiloAddress.Port - 10000).Order());
        Assert.Equal(0, await Sut.CleanupDefunctEntriesAsync(s_t0, CancellationToken.None).WaitAsync(WaitLimit));
    }

    [Fact]
    public async Task TwoClusterIds_DoNotSeeEachOthersRowsOrVersions()
    {
        // Arrange
        var other = NewTable(ClusterId + "-other");
        await other.InitializeAsync(CancellationToken.None).WaitAsync(WaitLimit);
        await InsertAsync(Entry(1, SiloStatus.Active), 1);
        await InsertAsync(Entry(2, SiloStatus.Dead), 2);

        // Act: the other cluster starts from its own version 0 and can use the same silo address.
        var otherBefore = await other.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);
        var otherInsert = await other.InsertRowAsync(Entry(1, SiloStatus.Joining), new TableVersion(1, "0"), CancellationToken.None).WaitAsync(WaitLimit);
        var otherRemoved = await other.CleanupDefunctEntriesAsync(DateTimeOffset.MaxValue, CancellationToken.None).WaitAsync(WaitLimit);
        await other.DeleteClusterAsync(CancellationToken.None).WaitAsync(WaitLimit);

        // Assert
        Assert.Empty(otherBefore.Entries);
        Assert.Equal(0, otherBefore.Version.Version);
        Assert.True(otherInsert);
        Assert.Equal(1, otherRemoved);
        var mine = await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(2, mine.Version.Version);
        Assert.Equal(2, mine.Entries.Length);
        Assert.Equal(SiloStatus.Active, mine.Entries.Single(e => e.Entry.SiloAddress.Equals(Address(1))).Entry.Status);
    }

    [Fact]
    public async Task DeleteClusterAsync_RemovesRowsAndResetsVersion()
    {
        await InsertAsync(Entry(1, SiloStatus.Active), 1);

        await Sut.DeleteClusterAsync(CancellationToken.None).WaitAsync(WaitLimit);

        var data = await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Empty(data.Entries);
        Assert.Equal(0, data.Version.Version);
        await InsertAsync(Entry(1, SiloStatus.Joining), 1);
    }

    protected static SiloAddress Address(int index) => new("127.0.0.1", 10000 + index, 1000 + index);

    protected static MembershipEntry Entry(int index, SiloStatus status) => Entry(Address(index), status);

    protected static MembershipEntry Entry(SiloAddress address, SiloStatus status) => new()
    {
        SiloAddress = address,
        Status = status,
        SiloName = "silo-" + address.Port,
        HostName = "host",
        StartTime = s_t0.AddMinutes(-10),
        IAmAliveTime = s_t0.AddMinutes(-1),
    };

    /// <summary>Inserts a row, asserting the insert to <paramref name="version"/> wins.</summary>
    protected async Task InsertAsync(MembershipEntry entry, int version)
    {
        var inserted = await Sut.InsertRowAsync(entry, new TableVersion(version, (version - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)), CancellationToken.None).WaitAsync(WaitLimit);
        Assert.True(inserted, $"Inserting {entry.SiloAddress} at version {version} failed.");
    }

    protected static void AssertSameEntry(MembershipEntry expected, MembershipEntry actual)
    {
        Assert.Equal(expected.SiloAddress, actual.SiloAddress);
        Assert.Equal(expected.SiloAddress.Host, actual.SiloAddress.Host);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.SiloName, actual.SiloName);
        Assert.Equal(expected.HostName, actual.HostName);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.IAmAliveTime, actual.IAmAliveTime);
        Assert.Equal(ToArray(expected.SuspectTimes), ToArray(actual.SuspectTimes));
    }

    // As arrays, so the votes are compared one by one: ImmutableArray's own equality is reference equality.
    private static SuspectVote[] ToArray(ImmutableArray<SuspectVote> votes) => votes.IsDefault ? [] : [.. votes];
}
