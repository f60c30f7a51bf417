namespace Cluster.IntegrationTests.InProcess;

/// <summary>
/// The route-cache tests run one after another: each starts a 3-silo cluster with one or two gateways, and two such
/// clusters at once on two shared cores would make their bounded waits measure the machine instead of the cache.
/// </summary>
[CollectionDefinition(Name)]
public sealed class RouteCacheCollection
{
    public const string Name = "route-cache";
}
