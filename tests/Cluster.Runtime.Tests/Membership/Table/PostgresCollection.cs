namespace Cluster.Runtime.Tests.Membership.Table;

/// <summary>
/// Test classes marked <c>[Collection(PostgresCollection.Name)]</c> share one <see cref="PostgresFixture"/>: the server
/// starts once per run, and those classes run one after another (some stop the server).
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "PostgreSQL";
}
