using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Diagnostics;

/// <summary>Asks a silo of the cluster (this process's own silo included) for its <see cref="SiloStats"/>.</summary>
public interface ISiloStatsClient
{
    /// <summary>
    /// Returns <paramref name="silo"/>'s statistics: taken in this process when it is this process's silo, otherwise
    /// by a request over the cluster protocol.
    /// </summary>
    /// <exception cref="SiloUnavailableException">The silo could not be reached or refused the request.</exception>
    /// <exception cref="TimeoutException">No answer within the response timeout.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<SiloStats> GetAsync(SiloAddress silo, CancellationToken cancellationToken);
}
