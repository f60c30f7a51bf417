using Cluster.Runtime;

namespace Cluster.PingBench;

/// <summary>
/// A [Reentrant] grain that answers a ping with the request itself: every caller of a <c>--grains shared</c> run calls
/// this one activation, and no request waits for another (Orleans' ping benchmark shape).
/// </summary>
[Reentrant]
internal sealed class ReentrantPingGrain : Grain, IGrainHandler<PingRequest, PingRequest>
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ActivationCounter.Increment();
        return Task.CompletedTask;
    }

    public ValueTask<PingRequest> HandleAsync(PingRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(request);
}
