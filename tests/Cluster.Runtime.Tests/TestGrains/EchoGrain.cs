using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.TestGrains;

/// <summary>A reentrant grain that answers synchronously: the allocation-free call path.</summary>
[Reentrant]
public sealed class EchoGrain : Grain, IGrainHandler<Ping, int>
{
    public static readonly GrainType Type = new("echo");

    public ValueTask<int> HandleAsync(Ping request, CancellationToken cancellationToken) => new(request.Value + 1);
}
