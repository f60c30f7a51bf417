using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>A non-reentrant grain whose requests hold the turn for a while (long calls, queued calls behind them).</summary>
public sealed class SleepGrain : Grain, IGrainHandler<SleepRequest, int>
{
    public static readonly GrainType Type = new("sleep");

    private readonly SleepLog _log;

    public SleepGrain(SleepLog log) => _log = log;

    public async ValueTask<int> HandleAsync(SleepRequest request, CancellationToken cancellationToken)
    {
        _log.Record(request.Tag);
        await Task.Delay(request.Milliseconds, CancellationToken.None);
        return request.Milliseconds;
    }
}
