using Cluster.Runtime;

namespace Cluster.PingBench;

/// <summary>
/// A non-reentrant grain that answers a ping with the request itself. Each caller of a <c>--grains per-caller</c> run
/// has one, so its turns never queue behind another caller's.
/// </summary>
internal sealed class PingGrain : Grain, IGrainHandler<PingRequest, PingRequest>
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ActivationCounter.Increment();
        return Task.CompletedTask;
    }

    // Synchronous: the figure is the runtime's cost, not the grain's.
    public ValueTask<PingRequest> HandleAsync(PingRequest request, CancellationToken cancellationToken) => ValueTask.FromResult(request);
}
