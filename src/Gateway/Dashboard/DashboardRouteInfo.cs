using Cluster.Runtime.Identity;

namespace Cluster.Gateway.Dashboard;

/// <summary>What the dashboard knows of a route without asking anyone: its pattern, its kind and its grain.</summary>
/// <param name="Pattern">The route pattern.</param>
/// <param name="Kind">See <see cref="DashboardRoute.Kind"/>.</param>
/// <param name="Grain">The route grain that owns the route; null for a stateless-worker route (it has no single owner).</param>
internal sealed record DashboardRouteInfo(string Pattern, string Kind, GrainId? Grain);
