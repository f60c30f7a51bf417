using Cluster.Gateway.Tests.Infrastructure;

namespace Cluster.Gateway.Tests.Dashboard;

/// <summary>A gateway outside Development with <c>Cluster:AdminToken</c> set: the dashboard asks for the token.</summary>
public sealed class DashboardProductionFixture : IAsyncLifetime
{
    public const string AdminToken = "dash-token-5b1e7c.Zq~_9";

    public GatewayHost Host { get; private set; } = null!;

    public async Task InitializeAsync() =>
        Host = await GatewayHost.StartAsync(EdgeAppManifest.Instance, "--environment=Production", "--Cluster:AdminToken=" + AdminToken);

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
