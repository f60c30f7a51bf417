namespace Cluster.Gateway.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class EdgeAppCollection : ICollectionFixture<EdgeAppFixture>
{
    public const string Name = "edge app";
}
