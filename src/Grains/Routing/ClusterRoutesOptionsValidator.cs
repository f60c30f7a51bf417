using Microsoft.Extensions.Options;

namespace Cluster.Grains.Routing;

/// <summary>
/// Checks <c>Cluster:Routes</c> against the app's routes at start-up (every pattern listed exists; no stateless-worker
/// route is cached), so a gateway or silo with a wrong setting never starts rather than failing its first request.
/// </summary>
internal sealed class ClusterRoutesOptionsValidator : IValidateOptions<ClusterRoutesOptions>
{
    private readonly IRouteCatalog _catalog;

    public ClusterRoutesOptionsValidator(IRouteCatalog catalog) => _catalog = catalog;

    public ValidateOptionsResult Validate(string? name, ClusterRoutesOptions options)
    {
        var failures = StatelessWorkerRoutes.Validate(_catalog, options, out _);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
