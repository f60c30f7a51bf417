namespace Cluster.Gateway.Tests.Caching.TestSupport;

[CollectionDefinition(Name)]
public sealed class NearCachePipelineCollection : ICollectionFixture<NearCachePipelineFixture>
{
    public const string Name = "near-cache pipeline";
}
