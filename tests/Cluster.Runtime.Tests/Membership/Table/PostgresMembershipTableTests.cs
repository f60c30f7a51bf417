using Cluster.Runtime.Hosting;
using Cluster.Runtime.Membership;
using Cluster.Runtime.Membership.Postgres;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Cluster.Runtime.Tests.Membership.Table;

/// <summary>
/// The contract suite against <see cref="PostgresMembershipTable"/> on a real PostgreSQL server, plus what only a
/// remote store has: a schema created on first use by many processes at once, and a store that goes away.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresMembershipTableTests : MembershipTableContractTests
{
    // A down store must fail a call within its command/connect timeouts (5 s), not hang; the bound is loose for the
    // shared machine and only catches a hang.
    private static readonly TimeSpan s_storeDownLimit = TimeSpan.FromSeconds(30);

    private readonly PostgresFixture _fixture;

    public PostgresMembershipTableTests(PostgresFixture fixture) => _fixture = fixture;

    protected override IMembershipTable CreateTable(string clusterId)
        => new PostgresMembershipTable(_fixture.ConnectionString, clusterId, NullLogger.Instance);

    [Fact]
    public void IsShared_IsTrue() => Assert.True(Sut.IsShared);

    [Fact]
    public async Task InitializeAsync_FreshDatabaseManyTablesAtOnce_CreatesTheSchemaOnce()
    {
        // Arrange: an empty database, and silos of two clusters starting at the same moment.
        var connectionString = await _fixture.Server.CreateDatabaseAsync("schema_race").WaitAsync(WaitLimit);
        var tables = Enumerable.Range(0, 8)
            .Select(i => Track(new PostgresMembershipTable(connectionString, "race-" + (i % 2), NullLogger.Instance)))
            .ToArray();

        // Act
        await Task.WhenAll(tables.Select(static t => Task.Run(() => t.InitializeAsync(CancellationToken.None)))).WaitAsync(WaitLimit);

        // Assert
        foreach (var table in tables)
        {
            var data = await table.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);
            Assert.Equal(0, data.Version.Version);
        }
    }

    [Fact]
    public async Task ReadAllAsync_BeforeInitialize_CreatesTheSchemaAndReadsVersionZero()
    {
        var connectionString = await _fixture.Server.CreateDatabaseAsync("first_use").WaitAsync(WaitLimit);
        var table = Track(new PostgresMembershipTable(connectionString, "first-use", NullLogger.Instance));

        var data = await table.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);

        Assert.Empty(data.Entries);
        Assert.Equal(0, data.Version.Version);
    }

    [Fact]
    public async Task TwoInstancesOfOneCluster_SeeEachOthersWrites()
    {
        // Two processes' tables: separate data sources, same cluster id.
        var other = NewTable(ClusterId);
        await InsertAsync(Entry(1, SiloStatus.Active), 1);

        var seen = await other.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);
        var conflicting = await other.InsertRowAsync(Entry(2, SiloStatus.Joining), new TableVersion(1, "0"), CancellationToken.None).WaitAsync(WaitLimit);

        Assert.Equal(1, seen.Version.Version);
        Assert.Equal(Address(1), Assert.Single(seen.Entries).Entry.SiloAddress);
        Assert.False(conflicting);
    }

    [Fact]
    public async Task StoreUnreachable_CallsThrowInsteadOfReturningFalse()
    {
        // Arrange: a port nobody listens on.
        var port = FreePort();
        var table = Track(new PostgresMembershipTable(
            $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres", ClusterId, NullLogger.Instance));

        // Act / Assert
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => table.InitializeAsync(CancellationToken.None)).WaitAsync(s_storeDownLimit);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => table.InsertRowAsync(Entry(1, SiloStatus.Joining), new TableVersion(1, "0"), CancellationToken.None)).WaitAsync(s_storeDownLimit);
    }

    [Fact]
    public async Task StoreStopped_CallsThrowInsteadOfReturningFalse_AndWorkAgainAfterRestart()
    {
        // Arrange: a row, read by a writer just before the store goes away.
        await InsertAsync(Entry(1, SiloStatus.Active), 1);
        var read = await Sut.ReadRowAsync(Address(1), CancellationToken.None).WaitAsync(WaitLimit);
        var (entry, etag) = read.Entries[0];
        var update = entry with { SuspectTimes = [new SuspectVote(Address(9), entry.IAmAliveTime)] };

        await _fixture.Server.StopAsync().WaitAsync(WaitLimit);
        try
        {
            // Act / Assert: every call fails with the store's error, promptly; none pretends a lost race.
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => Sut.ReadAllAsync(CancellationToken.None)).WaitAsync(s_storeDownLimit);
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => Sut.ReadRowAsync(Address(1), CancellationToken.None)).WaitAsync(s_storeDownLimit);
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => Sut.InsertRowAsync(Entry(2, SiloStatus.Joining), read.Version.Next(), CancellationToken.None)).WaitAsync(s_storeDownLimit);
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => Sut.UpdateRowAsync(update, etag, read.Version.Next(), CancellationToken.None)).WaitAsync(s_storeDownLimit);
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => Sut.UpdateIAmAliveAsync(Address(1), entry.IAmAliveTime.AddMinutes(1), CancellationToken.None)).WaitAsync(s_storeDownLimit);
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => Sut.CleanupDefunctEntriesAsync(DateTimeOffset.MaxValue, CancellationToken.None)).WaitAsync(s_storeDownLimit);
        }
        finally
        {
            await _fixture.Server.StartAsync().WaitAsync(WaitLimit);
        }

        // Assert: nothing was written while down, and the first calls after the restart work (no stale pooled connection).
        var after = await Sut.ReadAllAsync(CancellationToken.None).WaitAsync(WaitLimit);
        Assert.Equal(1, after.Version.Version);
        Assert.Equal(etag, Assert.Single(after.Entries).ETag);
        Assert.True(await Sut.UpdateRowAsync(update, etag, read.Version.Next(), CancellationToken.None).WaitAsync(WaitLimit));
        await InsertAsync(Entry(2, SiloStatus.Joining), 3);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
