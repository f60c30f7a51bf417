namespace Cluster.Gateway.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class SampleAppCollection : ICollectionFixture<SampleAppFixture>
{
    public const string Name = "sample app";
}
