using Cluster.TestSupport;

namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>One real PostgreSQL server for the process-cluster tests; each cluster gets its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    public PostgresServer Server { get; } = new();

    public Task InitializeAsync() => Server.InitializeAsync();

    public Task DisposeAsync() => Server.DisposeAsync().AsTask();
}
