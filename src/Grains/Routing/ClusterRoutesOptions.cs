namespace Cluster.Grains.Routing;

/// <summary>How routes are run, section <c>Cluster:Routes</c>; gateways and silos read the same values.</summary>
internal sealed class ClusterRoutesOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Cluster:Routes";

    /// <summary>
    /// Route patterns that run as stateless-worker pools, as the app's route table writes them (e.g.
    /// <c>/api/products/[id]</c>), in addition to routes whose <c>RouteConfig.StatelessWorker</c> is set. A pattern the
    /// app does not have stops start-up.
    /// </summary>
    /// <value>Default empty.</value>
    public string[] StatelessWorkers { get; set; } = [];
}
