using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>A non-reentrant grain that reports its lifecycle to the <see cref="GrainProbe"/> and records the requests it handles.</summary>
public sealed class ProbeGrain(GrainProbe probe) : Grain, IGrainHandler<RecordRequest, int>, IGrainHandler<DeactivateSelfRequest, int>
{
    public static readonly GrainType Type = new("probe");

    public override Task OnActivateAsync(CancellationToken cancellationToken) => probe.OnActivateAsync();

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.OnDeactivate(reason);
        return Task.CompletedTask;
    }

    public async ValueTask<int> HandleAsync(RecordRequest request, CancellationToken cancellationToken)
    {
        probe.Handled.Enqueue(request.Value);
        if (request.Release is { } release)
        {
            request.Started?.TrySetResult();
            await release;
        }

        return request.Value;
    }

    public ValueTask<int> HandleAsync(DeactivateSelfRequest request, CancellationToken cancellationToken)
    {
        DeactivateOnIdle();
        return new(-1);
    }
}
