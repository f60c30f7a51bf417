using Cluster.Runtime.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Cluster.Runtime.Hosting;

/// <summary>Configures the cluster runtime of a silo; returned by <c>AddClusterRuntime</c>.</summary>
public interface IClusterRuntimeBuilder
{
    /// <summary>The services the runtime is registered in.</summary>
    IServiceCollection Services { get; }

    /// <summary>
    /// Registers <typeparamref name="TGrain"/> as the class of <paramref name="grainType"/>. Each activation builds one
    /// instance from its own service scope (constructor injection; scoped services live as long as the activation).
    /// </summary>
    /// <exception cref="InvalidOperationException">The grain type is already registered for another class.</exception>
    IClusterRuntimeBuilder AddGrain<TGrain>(GrainType grainType)
        where TGrain : Grain;
}
