using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>
/// A non-reentrant stateless worker with a pool of at most <see cref="MaxWorkers"/> per grain id. Its requests enter the
/// tracker, wait for their barrier and return the worker's number; a request that starts while another runs on the
/// same worker is reported to the probe.
/// </summary>
[StatelessWorker(MaxWorkers)]
public sealed class StatelessWorkerGrain(WorkerProbe probe) : Grain, IGrainHandler<WaitRequest, int>
{
    public const int MaxWorkers = 3;

    public static readonly GrainType Type = new("stateless-worker");

    private int _number;
    private int _running;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _number = probe.OnActivate();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        probe.OnDeactivate(reason);
        return Task.CompletedTask;
    }

    public async ValueTask<int> HandleAsync(WaitRequest request, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _running) > 1)
        {
            probe.OnOverlap();
        }

        request.Tracker.Enter();
        try
        {
            await request.Release.WaitAsync(cancellationToken);
            return _number;
        }
        finally
        {
            request.Tracker.Exit();
            Interlocked.Decrement(ref _running);
        }
    }
}
