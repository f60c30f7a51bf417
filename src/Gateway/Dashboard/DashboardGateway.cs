namespace Cluster.Gateway.Dashboard;

/// <summary>The gateway a dashboard sample comes from (the page's header).</summary>
/// <param name="ClusterId">The cluster's id (<c>Cluster:ClusterId</c>).</param>
/// <param name="App">The app the gateway serves.</param>
/// <param name="Host">The gateway's machine name.</param>
/// <param name="Silo">The silo this gateway hosts in its process, or null for a gateway that is a cluster client.</param>
/// <param name="Addresses">The addresses the gateway listens on.</param>
internal sealed record DashboardGateway(string ClusterId, string App, string Host, string? Silo, IReadOnlyList<string> Addresses);
