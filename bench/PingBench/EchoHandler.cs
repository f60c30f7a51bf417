using Cluster.Runtime.Identity;
using Cluster.Runtime.Networking;

namespace Cluster.PingBench;

/// <summary>The silo side: answers every ping synchronously with its own payload (no grain runtime in the way).</summary>
internal sealed class EchoHandler : IInboundCallHandler
{
    public ValueTask<TResponse> InvokeAsync<TRequest, TResponse>(GrainId grainId, TRequest request, InboundCallInfo info, CancellationToken cancellationToken)
        => ValueTask.FromResult((TResponse)(object)request!);

    public void OnMembershipChanged(int version)
    {
    }
}
