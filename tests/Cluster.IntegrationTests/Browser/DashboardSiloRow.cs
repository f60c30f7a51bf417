namespace Cluster.IntegrationTests.Browser;

/// <summary>One row of the dashboard's <c>table#silos</c> as the page shows it: <c>data-silo</c>, <c>data-status</c>, cells' text.</summary>
internal sealed record DashboardSiloRow(string Address, string Status, string Activations);
