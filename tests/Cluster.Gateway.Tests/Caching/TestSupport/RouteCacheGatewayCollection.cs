namespace Cluster.Gateway.Tests.Caching.TestSupport;

[CollectionDefinition(Name)]
public sealed class RouteCacheGatewayCollection : ICollectionFixture<RouteCacheGatewayFixture>
{
    public const string Name = "route cache through the gateway";
}
