using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>A non-reentrant grain whose requests wait for a barrier while counted by a tracker.</summary>
public sealed class WaitingGrain : Grain, IGrainHandler<WaitRequest, int>
{
    public static readonly GrainType Type = new("waiting");

    public async ValueTask<int> HandleAsync(WaitRequest request, CancellationToken cancellationToken)
    {
        request.Tracker.Enter();
        try
        {
            await request.Release.WaitAsync(cancellationToken);
            return request.Tracker.Max;
        }
        finally
        {
            request.Tracker.Exit();
        }
    }
}
