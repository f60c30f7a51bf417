using Cluster.TestSupport;

namespace Cluster.Runtime.Tests.Membership.Table;

/// <summary>
/// One real PostgreSQL server for the test run (through <see cref="PostgresCollection"/>), with a database for the
/// membership tests. Tests isolate themselves by cluster id, or create their own database.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>The server; tests may stop and start it (the collection runs its tests one at a time).</summary>
    public PostgresServer Server { get; } = new();

    /// <summary>A connection string to the shared membership test database.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        await Server.InitializeAsync();
        ConnectionString = await Server.CreateDatabaseAsync("membership");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
