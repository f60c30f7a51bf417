using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>A reentrant stateless worker (pool of at most <see cref="MaxWorkers"/>): its requests interleave on each worker.</summary>
[StatelessWorker(MaxWorkers)]
[Reentrant]
public sealed class ReentrantStatelessWorkerGrain(WorkerProbe probe) : Grain, IGrainHandler<WaitRequest, int>
{
    public const int MaxWorkers = 2;

    public static readonly GrainType Type = new("reentrant-stateless-worker");

    private int _number;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _number = probe.OnActivate();
        return Task.CompletedTask;
    }

    public async ValueTask<int> HandleAsync(WaitRequest request, CancellationToken cancellationToken)
    {
        request.Tracker.Enter();
        try
        {
            await request.Release.WaitAsync(cancellationToken);
            return _number;
        }
        finally
        {
            request.Tracker.Exit();
        }
    }
}
