using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Messaging;

/// <summary>
/// The one seam every grain call goes through. The in-process silo's invoker finds or creates the activation in this
/// process; the cluster's invoker (<see cref="ClusterGrainCallInvoker"/>) decides the owning silo from the membership
/// view and sends remote calls over the cluster transport, using the local invoker for grains placed here.
/// </summary>
public interface IGrainCallInvoker
{
    /// <summary>Sends <paramref name="request"/> to the grain <paramref name="grainId"/> and returns its response.</summary>
    /// <exception cref="SiloUnavailableException">The silo is shutting down; the request did not start and may be retried elsewhere.</exception>
    ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(GrainId grainId, TRequest request, CancellationToken cancellationToken);
}
