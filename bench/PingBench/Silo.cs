using Cluster.Runtime.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.PingBench;

/// <summary>The in-process listener side of the benchmark.</summary>
internal sealed class Silo(ServiceProvider services, SiloAddress address) : IAsyncDisposable
{
    public SiloAddress Address { get; } = address;

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
