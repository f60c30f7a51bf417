namespace Cluster.Gateway.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class RevalidationAppCollection : ICollectionFixture<RevalidationAppFixture>
{
    public const string Name = "revalidation app";
}
