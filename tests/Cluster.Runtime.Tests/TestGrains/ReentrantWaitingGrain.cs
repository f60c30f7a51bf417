using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>The <see cref="WaitingGrain"/> marked reentrant: its requests interleave.</summary>
[Reentrant]
public sealed class ReentrantWaitingGrain : Grain, IGrainHandler<WaitRequest, int>
{
    public static readonly GrainType Type = new("reentrant-waiting");

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
