using Cluster.Runtime.Diagnostics;
using Cluster.Runtime.Identity;

namespace Cluster.Gateway.Tests.Dashboard;

/// <summary>
/// A silo that answers its first <c>answers</c> statistics requests and then hangs: the returned task never completes,
/// whatever the cancellation token says (the worst a silo or its client can do to the sampler).
/// </summary>
internal sealed class StallingSiloStatsClient(int answers) : ISiloStatsClient
{
    public const int Activations = 42;

    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task<SiloStats> GetAsync(SiloAddress silo, CancellationToken cancellationToken)
    {
        var call = Interlocked.Increment(ref _calls);
        return call <= answers
            ? Task.FromResult(new SiloStats { Silo = silo, SiloName = "stalling", Uptime = TimeSpan.FromMinutes(1), Activations = Activations, WorkingSetBytes = 1 })
            : new TaskCompletionSource<SiloStats>().Task;
    }
}
