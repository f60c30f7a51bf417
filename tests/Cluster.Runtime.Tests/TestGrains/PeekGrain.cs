using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>A non-reentrant grain with a blocking request and an always-interleaved one that answers synchronously.</summary>
public sealed class PeekGrain : Grain, IGrainHandler<Peek, int>, IGrainHandler<WaitRequest, int>
{
    public static readonly GrainType Type = new("peek");

    public ValueTask<int> HandleAsync(Peek request, CancellationToken cancellationToken) => new(request.Value * 2);

    public async ValueTask<int> HandleAsync(WaitRequest request, CancellationToken cancellationToken)
    {
        request.Tracker.Enter();
        try
        {
            await request.Release;
            return 0;
        }
        finally
        {
            request.Tracker.Exit();
        }
    }
}
