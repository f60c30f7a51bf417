namespace Cluster.Gateway.Tests.Infrastructure;

/// <summary>One embedded gateway serving the repository's sample app, shared by a test collection.</summary>
public sealed class SampleAppFixture : IAsyncLifetime
{
    public GatewayHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await GatewayHost.StartAsync(Cluster.Generated.AppManifest.Instance);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
