using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>A stateless worker that leaves its pool size to the runtime (one per processor).</summary>
[StatelessWorker]
public sealed class DefaultStatelessWorkerGrain : Grain, IGrainHandler<Ping, int>
{
    public static readonly GrainType Type = new("default-stateless-worker");

    public ValueTask<int> HandleAsync(Ping request, CancellationToken cancellationToken) => new(request.Value);
}
