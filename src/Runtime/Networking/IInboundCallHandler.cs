using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Networking;

/// <summary>
/// What the transport hands requests and notices it receives to. The silo implements it: it checks that it owns the
/// grain in its membership view and runs the call in its activation catalog.
/// </summary>
public interface IInboundCallHandler
{
    /// <summary>
    /// Runs a grain request that arrived over the network. Throw <see cref="SiloUnavailableException"/> to refuse it
    /// unstarted (shutting down), <see cref="GrainNotOwnedException"/> if another silo owns the grain; any other
    /// exception goes back to the caller as a <see cref="RemoteGrainException"/>.
    /// </summary>
    ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(GrainId grainId, TRequest request, InboundCallInfo info, CancellationToken cancellationToken);

    /// <summary>A peer says the membership table reached <paramref name="version"/>.</summary>
    void OnMembershipChanged(int version);
}
