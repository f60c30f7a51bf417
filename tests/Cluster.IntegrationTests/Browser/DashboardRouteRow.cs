namespace Cluster.IntegrationTests.Browser;

/// <summary>One row of the dashboard's <c>table#routes</c> as the page shows it: <c>data-route</c> and cells' text.</summary>
internal sealed record DashboardRouteRow(string Pattern, string Owner, string Requests);
