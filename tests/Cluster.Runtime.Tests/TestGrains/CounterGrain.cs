using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>
/// A non-reentrant counter whose increment yields between read and write: without turn-based execution concurrent
/// increments would lose updates.
/// </summary>
public sealed class CounterGrain : Grain, IGrainHandler<IncrementRequest, int>, IGrainHandler<GetCountRequest, int>
{
    public static readonly GrainType Type = new("counter");

    private int _count;

    public async ValueTask<int> HandleAsync(IncrementRequest request, CancellationToken cancellationToken)
    {
        var value = _count;
        await Task.Delay(1, cancellationToken);
        _count = value + 1;
        return _count;
    }

    public ValueTask<int> HandleAsync(GetCountRequest request, CancellationToken cancellationToken) => new(_count);
}
