namespace Cluster.Gateway.Tests.Infrastructure;

/// <summary>One embedded gateway serving tests/TestApps/EdgeApp, shared by a test collection.</summary>
public sealed class EdgeAppFixture : IAsyncLifetime
{
    public GatewayHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await GatewayHost.StartAsync(EdgeAppManifest.Instance, "--Gateway:MaxRequestBodySize=65536");

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
