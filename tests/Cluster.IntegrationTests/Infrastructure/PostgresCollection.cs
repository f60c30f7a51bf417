namespace Cluster.IntegrationTests.Infrastructure;

/// <summary>Tests that need the shared PostgreSQL server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
