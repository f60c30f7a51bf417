using System.Diagnostics;
using Cluster.Runtime.Identity;

namespace Cluster.Runtime.Tests.Tracing;

/// <summary>A grain that answers with the activity current in its turn (after a yield, so the turn's own flow is seen).</summary>
public sealed class TraceGrain : Grain, IGrainHandler<TraceRequest, Activity?>
{
    public static readonly GrainType Type = new("trace");

    public async ValueTask<Activity?> HandleAsync(TraceRequest request, CancellationToken cancellationToken)
    {
        await Task.Yield();
        return Activity.Current;
    }
}
